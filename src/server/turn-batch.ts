// Work handed in during one turn of the event loop, done together in the next check phase.
//
// Under load, each turn's poll phase reads several requests (TLS, HTTP, JSON), and each review
// ran between the reading of one request and the next: the policies' code and data, evicted from
// the CPU caches by the TLS and HTTP work in between, were fetched again for every review (a
// review took 39 µs back to back and 59 µs after 4 MB of other work, measured in a loop). Done
// together after the poll phase (with the JSON.parse of each body, the count and the log line),
// the reviews of one turn find them warm, and the answers are then written together too.
// Measured on the 2-vCPU VM of bench/ with 10 connections: 5.6 reviews per batch on average,
// 0.75x the CPU per answered review (concurrent A/B runs), Rollsafe's throughput from 52-58% of
// the bare route's to 76-87%. A lone request waits for nothing but the end of its own turn.

/**
 * `run` wrapped so that each call is queued and answered in the check phase of the current turn
 * (setImmediate), with the other calls of the same turn, in the order they came. A call that
 * throws rejects its own promise only.
 */
export function turnBatched<In, Out>(run: (input: In) => Out): (input: In) => Promise<Out> {
  let queue: { input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  const drain = () => {
    const jobs = queue;
    queue = [];
    for (const job of jobs) {
      try {
        job.resolve(run(job.input));
      } catch (err) {
        job.reject(err);
      }
    }
  };
  return (input) =>
    new Promise<Out>((resolve, reject) => {
      if (queue.length === 0) setImmediate(drain);
      queue.push({ input, resolve, reject });
    });
}
