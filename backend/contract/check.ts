// `npm run contract:check`: fails when the checked-in contract is not what the API's schemas generate now.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { readOpenApiDocument } from './document.ts';
import { renderContract } from './render.ts';

const checkedIn = (path: string) => readFile(path, 'utf8').catch(() => undefined);

const files = await renderContract(await readOpenApiDocument());
const stale: string[] = [];
for (const file of files) {
  if ((await checkedIn(file.path)) !== file.text) stale.push(relative(process.cwd(), file.path));
}
if (stale.length > 0) {
  process.stderr.write(
    `contract: ${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} not what the API's schemas generate; run \`npm run contract\` and commit the result\n`,
  );
  process.exit(1);
}
