// Every request of the load, one by one, from k6's CSV output (gzipped): when
// it ended, its endpoint group, how long it took, whether it failed; and every
// check with its outcome. The drills are judged on the requests of their windows.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';

export interface RequestSample {
  /** Epoch ms (k6 stamps a request's samples when it ends). */
  at: number;
  group: string;
  ms: number;
  failed: boolean;
}

export interface CheckSample {
  at: number;
  ok: boolean;
}

export interface LoadSamples {
  requests: RequestSample[];
  checks: CheckSample[];
}

interface Row {
  metric_name: string;
  timestamp: string;
  metric_value: string;
  group: string;
  name: string;
  expected_response: string;
  status: string;
}

/** Reads k6's `--out csv=<file>.gz` (K6_CSV_TIME_FORMAT=unix_milli). */
export async function readLoadSamples(file: string): Promise<LoadSamples> {
  const samples: LoadSamples = { requests: [], checks: [] };
  const parser = createReadStream(file)
    .pipe(createGunzip())
    .pipe(parse({ columns: true, relax_column_count: true, skip_empty_lines: true }));
  for await (const row of parser as AsyncIterable<Row>) {
    const at = Number(row.timestamp);
    if (row.metric_name === 'http_req_duration') {
      samples.requests.push({
        at,
        group: row.group || row.name,
        ms: Number(row.metric_value),
        // k6's own rule (http_req_failed): a status outside the expected ones, or no answer.
        failed: row.expected_response !== 'true',
      });
    } else if (row.metric_name === 'checks') {
      samples.checks.push({ at, ok: Number(row.metric_value) > 0 });
    }
  }
  return samples;
}
