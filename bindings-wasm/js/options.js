// Validation of option objects before anything reaches the wasm module.
//
// The core's option structs are described by field tables (js/tables.js:
// `backoff` → "schedule:enum=constant|linear|…,baseMs:number,…").
// Here every value is checked against its JS type, every unknown name and
// every unknown enum name is rejected, and the values travel as one
// Float64Array: a presence mask, then the values in table order (an enum as
// the index of its name, a boolean as 0/1). The module checks numbers (whole,
// in range) and the core validates semantics. Getters are read once, here, so
// no user code runs inside wasm.
import { TABLES } from './tables.js';
import { configError } from './errors.js';

const tables = new Map();

/** @param {string} name */
function table(name) {
  let t = tables.get(name);
  if (!t) {
    t = TABLES[name].split(',').map((f) => {
      const [field, type] = f.split(':');
      const names = type.startsWith('enum=') ? type.slice(5).split('|') : undefined;
      return { field, type: names ? 'enum' : type, names };
    });
    tables.set(name, t);
  }
  return t;
}

/** `prefix.name`. */
export const join = (prefix, name) => (prefix ? `${prefix}.${name}` : name);

const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Checks that `value` is a plain options object (or undefined) and returns it
 * as `{}` when undefined.
 * @param {unknown} value
 * @param {string} option
 * @returns {Record<string, unknown>}
 */
export function plainObject(value, option) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw configError('type', option || 'options', `\`${option || 'options'}\` must be an object, got ${typeName(value)}`);
  }
  return /** @type {Record<string, unknown>} */ (value);
}

/**
 * Rejects names of `obj` not in `known`.
 * @param {Record<string, unknown>} obj
 * @param {Iterable<string>} known
 * @param {string} prefix
 */
export function rejectUnknown(obj, known, prefix) {
  const allowed = new Set(known);
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      const option = join(prefix, key);
      throw configError('type', option, `\`${option}\` is not a known option`);
    }
  }
}

/**
 * The values of `obj` for the core table `name`, type-checked, as the
 * module takes them: `[mask, v0, v1, …]` (bit i of mask: field i present).
 * @param {string} name table name (`backoff`, `retryAfter` …)
 * @param {unknown} value the caller's object
 * @param {string} prefix where it sits in the caller's options
 * @param {string[]} [extra] names this layer handles itself (skipped)
 * @returns {Float64Array}
 */
export function tableValues(name, value, prefix, extra = []) {
  const obj = plainObject(value, prefix);
  const fields = table(name);
  rejectUnknown(obj, [...fields.map((f) => f.field), ...extra], prefix);
  const out = new Float64Array(fields.length + 1);
  let mask = 0;
  fields.forEach(({ field, type, names }, i) => {
    const v = obj[field];
    const option = join(prefix, field);
    if (v === undefined) return;
    const nullable = type.endsWith('?');
    if (v === null) {
      if (nullable) return;
      throw configError('type', option, `\`${option}\` must not be null`);
    }
    const base = nullable ? type.slice(0, -1) : type;
    const expected = base === 'integer' ? 'number' : base === 'enum' ? 'string' : base;
    if (typeof v !== expected) {
      throw configError('type', option, `\`${option}\` must be a ${expected}, got ${typeName(v)}`);
    }
    let n = v;
    if (names) {
      n = names.indexOf(v);
      if (n < 0) {
        throw configError('range', option, `\`${option}\` must be one of ${names.map((x) => JSON.stringify(x)).join(', ')}`);
      }
    } else if (base === 'boolean') {
      n = v ? 1 : 0;
    }
    out[i + 1] = n;
    mask += 2 ** i;
  });
  out[0] = mask;
  return out;
}

/**
 * A non-negative finite millisecond count a timer can wait (setTimeout's
 * limit is 2^31 − 1 ms), or undefined when absent.
 * @param {unknown} v
 * @param {string} option
 */
export function timerMs(v, option) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw configError('type', option, `\`${option}\` must be a number, got ${typeName(v)}`);
  if (!Number.isFinite(v) || v < 0 || v > 2147483647) {
    throw configError('range', option, `\`${option}\` must be between 0 and 2147483647, got ${v}`);
  }
  return v;
}

/** @param {unknown} v @param {string} option */
export function optionalFunction(v, option) {
  if (v === undefined) return undefined;
  if (typeof v !== 'function') throw configError('type', option, `\`${option}\` must be a function, got ${typeName(v)}`);
  return v;
}

/** A list of numbers or strings (copied), or undefined. */
export function list(v, option, itemType) {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw configError('type', option, `\`${option}\` must be an array, got ${typeName(v)}`);
  return v.map((item, i) => {
    if (typeof item !== itemType) {
      throw configError('type', option, `\`${option}[${i}]\` must be a ${itemType}, got ${typeName(item)}`);
    }
    return item;
  });
}

/** An AbortSignal or undefined. */
export function optionalSignal(v, option) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || typeof v.aborted !== 'boolean' || typeof v.addEventListener !== 'function') {
    throw configError('type', option, `\`${option}\` must be an AbortSignal`);
  }
  return v;
}
