/**
 * Preloaded (`node --require`) into the CLI and the language server by the security and soak tests. Anything the
 * tools must never do in an untrusted workspace throws here and is appended to $SAG_GUARD_LOG: network access
 * (net, tls, http, https, http2, dgram, dns, fetch, WebSocket), child processes and workers, native addons, and
 * loading any module that is not a Node built-in (the bundles are self-contained, so a require of a file on disk
 * would be code from the workspace or from a package). With $SAG_GUARD_READONLY set, writing inside
 * $SAG_GUARD_WORKSPACE is forbidden too.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const logFile = process.env.SAG_GUARD_LOG;
const workspace = process.env.SAG_GUARD_WORKSPACE ? fs.realpathSync(process.env.SAG_GUARD_WORKSPACE) : undefined;
const readOnly = Boolean(process.env.SAG_GUARD_READONLY);
const appendLog = fs.appendFileSync;

function violation(what) {
  const stack = (new Error().stack || '').split('\n').slice(3, 9).join('\n');
  if (logFile) appendLog(logFile, `${process.argv[1]} (pid ${process.pid}): ${what}\n${stack}\n\n`);
  throw new Error(`server-action-guard security test: forbidden: ${what}`);
}

function forbid(object, names, label) {
  for (const name of names) {
    if (typeof object[name] !== 'function') continue;
    object[name] = function forbidden() {
      violation(`${label}.${name}(${describeArgs(arguments)})`);
    };
  }
}

function describeArgs(args) {
  return Array.from(args)
    .slice(0, 2)
    .map((a) => (typeof a === 'string' ? JSON.stringify(a) : typeof a === 'object' && a ? JSON.stringify(a).slice(0, 80) : String(a)))
    .join(', ');
}

const net = require('node:net');
forbid(net, ['connect', 'createConnection'], 'net');
forbid(net.Socket.prototype, ['connect'], 'net.Socket');
forbid(net.Server.prototype, ['listen'], 'net.Server');
forbid(require('node:tls'), ['connect'], 'tls');
forbid(require('node:http'), ['request', 'get', 'createServer'], 'http');
forbid(require('node:https'), ['request', 'get', 'createServer'], 'https');
forbid(require('node:http2'), ['connect', 'createServer', 'createSecureServer'], 'http2');
forbid(require('node:dgram'), ['createSocket'], 'dgram');
const dns = require('node:dns');
const dnsCalls = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'];
forbid(dns, dnsCalls, 'dns');
forbid(dns.promises, dnsCalls, 'dns.promises');
forbid(require('node:child_process'), ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
forbid(require('node:worker_threads'), ['Worker'], 'worker_threads');
forbid(process, ['dlopen'], 'process');
if (typeof globalThis.fetch === 'function') forbid(globalThis, ['fetch'], 'globalThis');
if (typeof globalThis.WebSocket === 'function') forbid(globalThis, ['WebSocket'], 'globalThis');

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (!isMain && !Module.isBuiltin(request) && request !== 'vscode') {
    let resolved = request;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      // Unresolvable: still an attempt to load code from disk.
    }
    const inWorkspace = workspace && path.resolve(resolved).startsWith(workspace + path.sep);
    violation(`require(${JSON.stringify(request)}) -> ${resolved}${inWorkspace ? ' (in the workspace)' : ''}`);
  }
  return originalLoad.apply(this, arguments);
};

if (workspace && readOnly) {
  const inside = (target) => {
    if (typeof target !== 'string' && !(target instanceof URL)) return false;
    const file = path.resolve(target instanceof URL ? target.pathname : target);
    return file === workspace || file.startsWith(workspace + path.sep);
  };
  const writers = ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'rename', 'renameSync', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'mkdir', 'mkdirSync', 'copyFile', 'copyFileSync', 'truncate', 'truncateSync', 'symlink', 'symlinkSync', 'createWriteStream'];
  for (const [object, label] of [[fs, 'fs'], [fs.promises, 'fs.promises']]) {
    for (const name of writers) {
      const original = object[name];
      if (typeof original !== 'function') continue;
      object[name] = function guardedWrite(target) {
        if (inside(target) || (name.startsWith('rename') || name.startsWith('copyFile') || name.startsWith('symlink') ? inside(arguments[1]) : false)) {
          violation(`${label}.${name}(${describeArgs(arguments)}) inside the workspace`);
        }
        return original.apply(this, arguments);
      };
    }
  }
  const open = fs.openSync;
  fs.openSync = function guardedOpen(target, flags) {
    if (inside(target) && typeof flags === 'string' && /[wa+]/.test(flags)) violation(`fs.openSync(${describeArgs(arguments)}) for writing inside the workspace`);
    return open.apply(this, arguments);
  };
}
