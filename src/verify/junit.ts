// JUnit XML, the test report format CI systems read (Jenkins, GitLab, GitHub Actions reporters):
// one <testsuite> of <testcase>s, a <failure> in each failed one, properties and the console text.

/** One test case and, when it failed, why. */
export interface JunitCase {
  name: string;
  classname: string;
  timeS: number;
  failure?: { message: string; type: string; text: string };
}

/** A suite of cases. */
export interface JunitSuite {
  name: string;
  cases: JunitCase[];
  timeS: number;
  /** When the suite started. */
  timestamp: Date;
  properties: [string, string][];
  /** Text shown as the suite's standard output. */
  systemOut?: string;
}

// XML 1.0 allows tab, newline, carriage return and the characters from space up (minus the surrogates and FFFE/FFFF)
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` as XML character data or an attribute value. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const seconds = (s: number) => s.toFixed(3);

/** The suite as a JUnit XML document. */
export function junitXml(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure !== undefined).length;
  const counts = `tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(suite.timeS)}"`;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xmlText(suite.name)}" ${counts}>`,
    `  <testsuite name="${xmlText(suite.name)}" ${counts} timestamp="${suite.timestamp.toISOString().slice(0, 19)}">`,
    `    <properties>`,
    ...suite.properties.map(([name, value]) => `      <property name="${xmlText(name)}" value="${xmlText(value)}"/>`),
    `    </properties>`,
  ];
  for (const c of suite.cases) {
    const open = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}" time="${seconds(c.timeS)}"`;
    if (c.failure === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    const f = c.failure;
    lines.push(`${open}>`, `      <failure message="${xmlText(f.message)}" type="${xmlText(f.type)}">${xmlText(f.text)}</failure>`, `    </testcase>`);
  }
  if (suite.systemOut !== undefined) lines.push(`    <system-out>${xmlText(suite.systemOut)}</system-out>`);
  lines.push(`  </testsuite>`, `</testsuites>`);
  return `${lines.join("\n")}\n`;
}
