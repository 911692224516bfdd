// `npm run contract`: writes the API's OpenAPI document and the types generated from it.
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { readOpenApiDocument } from './document.ts';
import { renderContract } from './render.ts';

const files = await renderContract(await readOpenApiDocument());
for (const file of files) await writeFile(file.path, file.text);
process.stdout.write(
  `contract: wrote ${files.map((file) => relative(process.cwd(), file.path)).join(', ')}\n`,
);
