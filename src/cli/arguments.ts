// Command-line parsing: every API option is --its-kebab-case-name; values are typed by the
// command's option table, so a bad value fails here with the option named, and the API's own
// validation (ParameterError) covers ranges.
import { ParameterError } from '../errors.js';

/** How an option's text becomes a value. */
export type OptionKind = 'number' | 'string' | 'boolean' | 'times' | 'numbers';

/** One command-line option. */
export interface OptionSpec {
  /** API name (camelCase). */
  name: string;
  kind: OptionKind;
  /** Shown by --help: meaning and allowed range. */
  help: string;
}

/** camelCase -> kebab-case. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Parses a number the way the CLI documents: 1e6, 0.5, Infinity, inf. */
export function parseNumber(option: string, text: string): number {
  const trimmed = text.trim();
  const lowered = trimmed.toLowerCase();
  if (lowered === 'infinity' || lowered === 'inf' || lowered === '+infinity') return Infinity;
  if (lowered === '-infinity' || lowered === '-inf') return -Infinity;
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(value)) throw new ParameterError(option, text, 'a number (e.g. 0.5, 1e6, Infinity)');
  return value;
}

/**
 * Parses `argv` against `specs`: returns API options plus the output flags the CLI itself
 * handles (json, csv, svg, help).
 */
export function parseArguments(argv: string[], specs: OptionSpec[]): Record<string, unknown> {
  const byFlag = new Map(specs.map((spec) => [`--${kebab(spec.name)}`, spec]));
  const result: Record<string, unknown> = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const equals = argument.indexOf('=');
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const spec = byFlag.get(flag);
    if (!spec) {
      const known = [...byFlag.keys()];
      const near = byFlag.has(kebab(flag)) ? kebab(flag) : known.find((candidate) => candidate.startsWith(flag.slice(0, 5)));
      // the parameter is the flag as typed (with its dashes): main.ts prints it verbatim
      throw new ParameterError(flag, argument, 'a known option (see --help)', near ? `did you mean ${near}?` : undefined);
    }
    if (spec.kind === 'boolean') {
      result[spec.name] = equals > 0 ? parseBoolean(spec.name, argument.slice(equals + 1)) : true;
      continue;
    }
    let text: string;
    if (equals > 0) text = argument.slice(equals + 1);
    else {
      if (index + 1 >= argv.length) throw new ParameterError(spec.name, undefined, `a value after ${flag}`);
      text = argv[++index];
    }
    if (spec.name in result) throw new ParameterError(spec.name, text, `${flag} given once`);
    switch (spec.kind) {
      case 'number': result[spec.name] = parseNumber(spec.name, text); break;
      case 'numbers': result[spec.name] = text.split(',').map((entry) => parseNumber(spec.name, entry)); break;
      case 'times': result[spec.name] = text; break;
      default: result[spec.name] = text;
    }
  }
  return result;
}

function parseBoolean(name: string, text: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ParameterError(name, text, 'true or false');
}
