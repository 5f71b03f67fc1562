import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const XSD = path.resolve(import.meta.dirname, '../fixtures/junit/junit-10.xsd');

/** libxml2's (xmllint's) errors validating `xml` against the vendored junit-10.xsd; [] when valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: await readFile(XSD, 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
