/**
 * Reads the project's Server Action Guard configuration from disk. The workspace may be untrusted, so config files
 * are parsed as JSON only (never `require`d or imported) and every value is type-checked by `resolveSettings`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, resolveSettings, type GuardSettings } from '../../../shared/settings';

export const CONFIG_FILE_NAME = 'server-action-guard.config.json';
export const PACKAGE_JSON_KEY = 'serverActionGuard';

export interface LoadedConfig {
  /** Defaults plus every valid value found; usable even when `errors` is not empty. */
  settings: GuardSettings;
  /** The file the settings came from, when one was found. */
  source?: string;
  /** Wrong types, unknown keys, unreadable or invalid files, each naming the file. */
  errors: string[];
  /** Set when a config file named explicitly (`--config`) is missing or not valid JSON: nothing sensible to run. */
  fatal?: string;
}

type ParsedFile = { ok: true; value: unknown } | { ok: false; missing: boolean; message: string };

export function loadConfig(root: string, explicitPath?: string): LoadedConfig {
  if (explicitPath !== undefined) {
    const file = path.resolve(explicitPath);
    const parsed = readJson(file);
    if (!parsed.ok) return { settings: cloneDefaults(), errors: [], fatal: parsed.message };
    return fromValue(parsed.value, file);
  }

  const configFile = path.join(root, CONFIG_FILE_NAME);
  const parsed = readJson(configFile);
  if (parsed.ok) return fromValue(parsed.value, configFile);
  if (!parsed.missing) return { settings: cloneDefaults(), source: configFile, errors: [parsed.message] };

  const packageJson = path.join(root, 'package.json');
  const manifest = readJson(packageJson);
  // A package.json that does not parse is the project's own problem (Next.js reports it); it just has no settings.
  if (!manifest.ok || !isObject(manifest.value) || !(PACKAGE_JSON_KEY in manifest.value)) {
    return { settings: cloneDefaults(), errors: [] };
  }
  return fromValue(manifest.value[PACKAGE_JSON_KEY], packageJson, `"${PACKAGE_JSON_KEY}"`);
}

function fromValue(value: unknown, source: string, keyPrefix?: string): LoadedConfig {
  const { settings, errors } = resolveSettings(value);
  const where = keyPrefix ? `${source} ${keyPrefix}` : source;
  return { settings, source, errors: errors.map((error) => `${where}: ${error}`) };
}

function readJson(file: string): ParsedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    return {
      ok: false,
      missing,
      message: missing ? `${file}: config file not found` : `${file}: cannot read config file (${code ?? error})`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (error) {
    return { ok: false, missing: false, message: `${file}: invalid JSON (${(error as Error).message})` };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloneDefaults(): GuardSettings {
  return structuredClone(DEFAULT_SETTINGS);
}
