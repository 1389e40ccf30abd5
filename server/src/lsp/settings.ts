import type { Connection } from 'vscode-languageserver/node';
import { CONFIGURATION_SECTION } from '../../../shared/protocol';
import { DEFAULT_SETTINGS, resolveSettings, type GuardSettings } from '../../../shared/settings';
import type { Logger } from './log';
import { isInside, uriToPath } from './uri';

/**
 * Settings per resource, pulled from the client with `workspace/configuration` (section `serverActionGuard`),
 * validated with `resolveSettings` and cached per scope URI until the configuration changes. Clients that cannot
 * answer `workspace/configuration` push their settings with `workspace/didChangeConfiguration` instead.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<GuardSettings>>();
  /** Settings per workspace folder path sent with `initialize`, until the first configuration change. */
  private readonly initial = new Map<string, unknown>();
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

  /**
   * The settings of each workspace folder as the client sent them with `initialize` (folder URI → the section, as
   * `workspace/configuration` answers it): the first analyses need no round trip to a client still starting up. The
   * settings are resource-scoped, so a document's are its folder's.
   */
  seed(folderSettings: Readonly<Record<string, unknown>>): void {
    for (const [uri, raw] of Object.entries(folderSettings)) {
      const folder = uriToPath(uri);
      if (folder && raw !== null && typeof raw === 'object') this.initial.set(folder, raw);
    }
  }

  /** Drops every cached value; `pushed` is the `settings` of a didChangeConfiguration notification. */
  reset(pushed?: unknown): void {
    this.cache.clear();
    this.initial.clear();
    if (pushed !== undefined && pushed !== null && typeof pushed === 'object') {
      const section = (pushed as Record<string, unknown>)[CONFIGURATION_SECTION];
      if (section !== undefined) this.pushed = section;
    }
  }

  /** The seeded settings of the deepest workspace folder holding the scope. */
  private initialFor(scopeUri: string): unknown {
    const scope = uriToPath(scopeUri);
    if (!scope) return undefined;
    let best: string | undefined;
    for (const folder of this.initial.keys()) {
      if (isInside(folder, scope) && (!best || folder.length > best.length)) best = folder;
    }
    return best === undefined ? undefined : this.initial.get(best);
  }

  private async load(scopeUri: string): Promise<GuardSettings> {
    let raw: unknown = this.pushed;
    const initial = this.initialFor(scopeUri);
    if (initial !== undefined) {
      raw = initial;
    } else if (this.pull) {
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
