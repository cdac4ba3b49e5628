/**
 * A job worker for lifecycle-job.test.ts to kill: runs the batches of one job, saying on stdout
 * when it is inside a batch (after the records moved and the statuses changed, before the commit)
 * and when a batch has committed. The test SIGKILLs it at one of those points.
 */
import { openDatabase } from "@/db/client";
import { runLifecycleBatch } from "../job";

const [url, jobId, batchSize] = process.argv.slice(2);
if (!url || !jobId) throw new Error("usage: kill-worker <database url> <job id> <batch size>");
const handle = await openDatabase({ url, poolSize: 1 });
let batch = 0;
for (;;) {
  batch++;
  const next = await runLifecycleBatch(handle.db, jobId, {
    batchSize: Number(batchSize),
    hooks: {
      afterStatus: async () => {
        process.stdout.write(`inside ${batch}\n`);
        await new Promise((resolve) => setTimeout(resolve, 400));
      },
    },
  });
  process.stdout.write(`committed ${batch}\n`);
  if (next === "finished") break;
  await new Promise((resolve) => setTimeout(resolve, 400));
}
await handle.close();
