// Starts the signalling server of examples/webrtc-call for a test and stops
// it: the port is read from its first line, its log is kept for checks, and
// stopping it asks for a clean exit (SIGTERM), bounded in time.
import { spawn } from 'node:child_process';
import { log, withTimeout } from './harness.mjs';

// Calls `fn` with each complete line of `stream`.
function onLines(stream, fn) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    lines.filter((l) => l).forEach(fn);
  });
}

export class CallServer {
  // `wrapper`: a command line to run the server under (valgrind, ...);
  // `args`: more arguments for it.
  static async start(binary, wrapper = [], args = []) {
    const self = new CallServer();
    const argv = [...wrapper, binary, '--port', '0', ...args];
    self.stderr = [];
    self.stdout = [];
    self.proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    self.exited = new Promise((resolve) => self.proc.on('exit', (code, sig) => resolve({ code, sig })));
    onLines(self.proc.stderr, (line) => {
      self.stderr.push(line);
      log(`server: ${line}`);
    });
    self.url = await withTimeout(new Promise((resolve, reject) => {
      onLines(self.proc.stdout, (line) => {
        self.stdout.push(line);
        log(`server: ${line}`);
        const m = line.match(/^listening on (http:\/\/127\.0\.0\.1:\d+\/)$/);
        if (m)
          resolve(m[1]);
      });
      self.exited.then(({ code }) => reject(new Error(`server exited (${code}) before listening`)));
    }), 30000, 'signalling server start');
    return self;
  }

  // Peers that joined `room` so far, from the server's output.
  joined(room) {
    return this.stdout.filter((l) => l.startsWith(`room ${room}: peer `) && l.endsWith(' joined')).length;
  }

  // Lines of the server's error log matching `re`.
  count(re) {
    return this.stderr.filter((l) => re.test(l)).length;
  }

  // Stops the server; resolves to its exit status.
  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null)
      return this.exited;
    this.proc.kill('SIGTERM');
    try {
      return await withTimeout(this.exited, 10000, 'signalling server exit');
    } catch (e) {
      this.proc.kill('SIGKILL');
      throw e;
    }
  }
}
