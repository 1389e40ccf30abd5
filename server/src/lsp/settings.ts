import type { Connection } from 'vscode-languageserver/node';
import { CONFIGURATION_SECTION } from '../../../shared/protocol';
import { DEFAULT_SETTINGS, resolveSettings, type GuardSettings } from '../../../shared/settings';
import type { Logger } from './log';

/**
 * Settings per resource, pulled from the client with `workspace/configuration` (section `serverActionGuard`),
 * validated with `resolveSettings` and cached per scope URI until the configuration changes. Clients that cannot
 * answer `workspace/configuration` push their settings with `workspace/didChangeConfiguration` instead.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<GuardSettings>>();
  private pushed: unknown;
  private pull = false;

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    /** Settings from the project's own config file (shared with the CLI), which editor settings refine. */
    private readonly baseFor: (scopeUri: string) => GuardSettings = () => DEFAULT_SETTINGS,
  ) {}

  /** Whether the client answers `workspace/configuration` (from its initialize capabilities). */
  setPullSupported(supported: boolean): void {
    this.pull = supported;
  }

  get(scopeUri: string): Promise<GuardSettings> {
    let settings = this.cache.get(scopeUri);
    if (!settings) {
      settings = this.load(scopeUri);
      this.cache.set(scopeUri, settings);
    }
    return settings;
  }

  /** Forgets one document's settings (it was closed). */
  forget(scopeUri: string): void {
    this.cache.delete(scopeUri);
  }

  /** Drops every cached value; `pushed` is the `settings` of a didChangeConfiguration notification. */
  reset(pushed?: unknown): void {
    this.cache.clear();
    if (pushed !== undefined && pushed !== null && typeof pushed === 'object') {
      const section = (pushed as Record<string, unknown>)[CONFIGURATION_SECTION];
      if (section !== undefined) this.pushed = section;
    }
  }

  private async load(scopeUri: string): Promise<GuardSettings> {
    let raw: unknown = this.pushed;
    if (this.pull) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri, section: CONFIGURATION_SECTION });
      } catch (error) {
        this.log.error(`Could not read the "${CONFIGURATION_SECTION}" settings; using defaults`, error);
        raw = undefined;
      }
    }
    let base = DEFAULT_SETTINGS;
    try {
      base = this.baseFor(scopeUri);
    } catch (error) {
      this.log.error(`Could not read the project's config file for ${scopeUri}; using defaults`, error);
    }
    return validate(raw, scopeUri, base, this.log);
  }
}

function validate(raw: unknown, scopeUri: string, base: GuardSettings, log: Logger): GuardSettings {
  const input = stripClientOnlyKeys(raw);
  const { settings, errors } = resolveSettings(input, base);
  for (const error of errors) {
    log.warnOnce(`settings:${error}`, `Settings (${CONFIGURATION_SECTION}) for ${scopeUri}: ${error}; using the default`);
  }
  return settings;
}

// `trace.server` lives in the same section but belongs to the client's JSON-RPC tracing, not to the analysis.
function stripClientOnlyKeys(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { trace: _trace, ...rest } = raw as Record<string, unknown>;
  return rest;
}
