// Starts fauxqs (SNS + SQS) on 127.0.0.1 for the tests: `node server.mjs <port>` (0 picks a free port).
// Prints "fauxqs listening on <port>" once it accepts requests, and exits when its stdin closes, so a test JVM
// that dies (even by kill -9) does not leave it running.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false, defaultRegion: "us-east-1" });
await app.listen({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1" });
console.log(`fauxqs listening on ${app.server.address().port}`);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
