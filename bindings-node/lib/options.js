'use strict';
/**
 * Option objects on their way to the core: split the JavaScript-only options
 * (`seed`, `clock`, callbacks) from the core's, and send the core's as JSON
 * text after rejecting what JSON cannot carry faithfully (NaN, infinities,
 * functions, BigInts, class instances). The core then deserialises them into
 * its own option structs, which reject unknown names and wrong types.
 * @module stormguard/lib/options
 */
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { configError, describe, withCode } = require('./errors');

const MAX_DEPTH = 8;

/** Whether `value` is a plain object (`{}` literal or `Object.create(null)`). */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A clean, JSON-safe copy of `value`, or a thrown config error naming `path`. */
function clean(value, path, depth) {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw configError(RangeError, path, 'a finite number', value);
      return value;
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (depth >= MAX_DEPTH) throw configError(TypeError, path, `nested at most ${MAX_DEPTH} deep`, value);
      if (Array.isArray(value)) {
        return value.map((item, i) => {
          if (item === undefined) throw configError(TypeError, `${path}[${i}]`, 'defined', item);
          return clean(item, `${path}[${i}]`, depth + 1);
        });
      }
      if (!isPlainObject(value)) throw configError(TypeError, path, 'a plain object', value);
      return cleanObject(value, path, depth + 1);
    default:
      throw configError(TypeError, path, 'a number, string, boolean, array or plain object', value);
  }
}

function cleanObject(object, prefix, depth) {
  const out = {};
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (item === undefined || item === null) continue; // absent and null both mean "the default"
    out[key] = clean(item, prefix ? `${prefix}.${key}` : key, depth);
  }
  return out;
}

/**
 * Validates that `options` is a plain object (or undefined/null = `{}`) and
 * splits it: the keys in `hostKeys` stay in JavaScript, the rest become the
 * core's JSON text.
 * @param {string} what the API name, for messages
 * @param {unknown} options
 * @param {string[]} hostKeys
 * @returns {{ host: Record<string, unknown>, core: Record<string, unknown> }}
 */
function split(what, options, hostKeys) {
  if (options === undefined || options === null) return { host: {}, core: {} };
  if (!isPlainObject(options)) {
    throw withCode(TypeError, 'ERR_INVALID_CONFIG', `${what} options must be a plain object, got ${describe(options)}`);
  }
  const host = {};
  const core = {};
  for (const key of Object.keys(options)) {
    if (hostKeys.includes(key)) host[key] = options[key];
    else core[key] = options[key];
  }
  return { host, core };
}

/** The core part as JSON text. */
function toJson(core) {
  return JSON.stringify(cleanObject(core, '', 0));
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * The seed as decimal text: the user's (a non-negative safe integer, a BigInt
 * or a decimal string below 2^64) or 8 fresh bytes from `crypto.randomBytes`.
 */
function seedText(seed) {
  if (seed === undefined || seed === null) return crypto.randomBytes(8).readBigUInt64LE().toString();
  if (typeof seed === 'number') {
    if (Number.isSafeInteger(seed) && seed >= 0) return String(seed);
    throw configError(RangeError, 'seed', 'a non-negative safe integer, a BigInt or a decimal string', seed);
  }
  if (typeof seed === 'bigint') {
    if (seed >= 0n && seed <= U64_MAX) return seed.toString();
    throw configError(RangeError, 'seed', 'between 0 and 2^64 - 1', seed);
  }
  if (typeof seed === 'string' && /^[0-9]{1,20}$/.test(seed)) return seed;
  throw configError(TypeError, 'seed', 'a non-negative safe integer, a BigInt or a decimal string', seed);
}

const defaultClock = () => performance.now();

/** The clock: the user's function returning ms, or `performance.now()`. */
function clockOf(clock) {
  if (clock === undefined || clock === null) return defaultClock;
  if (typeof clock !== 'function') throw configError(TypeError, 'clock', 'a function returning milliseconds', clock);
  return () => {
    const now = clock();
    if (typeof now !== 'number') {
      throw withCode(TypeError, 'ERR_INVALID_CLOCK', `the clock must return milliseconds as a number, got ${describe(now)}`);
    }
    return now;
  };
}

/** Throws unless `value` is undefined or a function; returns it. */
function optionalFunction(name, value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw configError(TypeError, name, 'a function', value);
  return value;
}

/** Throws unless `value` is undefined, null or a number; returns it or undefined. */
function optionalNumber(name, value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw configError(TypeError, name, 'a number', value);
  return value;
}

module.exports = { isPlainObject, split, toJson, seedText, clockOf, optionalFunction, optionalNumber };
