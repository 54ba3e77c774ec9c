import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { named } from '../schemas/named';
import { SchemaCatalog } from './json-schema';

// Named with ids no contract schema uses; `_default` makes the input shape differ from the output one.
const Defaulted = named(z.strictObject({ size: z._default(z.int(), 20) }), 'TestDefaulted');
const Holder = named(z.strictObject({ inner: Defaulted }), 'TestHolder');
const Plain = named(z.strictObject({ name: z.string() }), 'TestPlain');

describe('SchemaCatalog', () => {
  it('names a registered schema once when its input and output shapes agree', () => {
    const catalog = new SchemaCatalog();
    expect(catalog.convert(Plain, 'output')).toEqual({ $ref: '#/components/schemas/TestPlain' });
    expect(catalog.convert(z.strictObject({ plain: Plain }), 'input')).toEqual({
      type: 'object',
      properties: { plain: { $ref: '#/components/schemas/TestPlain' } },
      required: ['plain'],
      additionalProperties: false,
    });
    expect(Object.keys(catalog.components())).toEqual(['TestPlain']);
  });

  it('adds an <id>Input variant where defaults make the shapes differ, and for schemas that reference one', () => {
    const catalog = new SchemaCatalog();
    const output = catalog.convert(Holder, 'output');
    const input = catalog.convert(Holder, 'input');
    const components = catalog.components();
    expect(output).toEqual({ $ref: '#/components/schemas/TestHolder' });
    expect(input).toEqual({ $ref: '#/components/schemas/TestHolderInput' });
    expect(Object.keys(components)).toEqual(['TestDefaulted', 'TestDefaultedInput', 'TestHolder', 'TestHolderInput']);
    expect(components['TestDefaulted']?.['required']).toEqual(['size']);
    expect(components['TestDefaultedInput']?.['required']).toBeUndefined();
    expect(components['TestHolderInput']?.['properties']).toEqual({
      inner: { $ref: '#/components/schemas/TestDefaultedInput' },
    });
    expect(components['TestHolder']?.['properties']).toEqual({ inner: { $ref: '#/components/schemas/TestDefaulted' } });
  });

  it('uses the plain name for a schema that only requests use', () => {
    const catalog = new SchemaCatalog();
    expect(catalog.convert(Defaulted, 'input')).toEqual({ $ref: '#/components/schemas/TestDefaulted' });
    expect(catalog.components()['TestDefaulted']?.['properties']).toEqual({
      size: { type: 'integer', default: 20, minimum: -9007199254740991, maximum: 9007199254740991 },
    });
  });

  it('adds an unregistered schema under the name it is given', () => {
    const catalog = new SchemaCatalog();
    expect(catalog.named('Thing', z.strictObject({ plain: Plain }), 'output')).toEqual({
      $ref: '#/components/schemas/Thing',
    });
    expect(Object.keys(catalog.components())).toEqual(['TestPlain', 'Thing']);
  });

  it('accepts naming a schema that is already registered under that name', () => {
    const catalog = new SchemaCatalog();
    expect(catalog.named('TestPlain', Plain, 'output')).toEqual({ $ref: '#/components/schemas/TestPlain' });
    expect(() => catalog.named('Other', Plain, 'output')).toThrow(/registered as "TestPlain"/);
    expect(catalog.components()['TestPlain']?.['properties']).toEqual({ name: { type: 'string' } });
  });

  it('refuses two different schemas under one name, and conversions after components()', () => {
    const catalog = new SchemaCatalog();
    catalog.convert(Plain, 'output');
    expect(() => catalog.named('TestPlain', z.strictObject({ other: z.string() }), 'output')).toThrow(
      /two different schemas/,
    );
    catalog.components();
    expect(() => catalog.convert(Plain, 'output')).toThrow(/already called/);
  });
});
