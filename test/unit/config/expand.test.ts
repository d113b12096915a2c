// % expansions: Python's `%` operator with a mapping, and supervisord's error messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expand, FormatError, pyFormat } from '../../../src/config/expand.js';

const names = new Map<string, string | number>([
  ['program_name', 'web'],
  ['process_num', 7],
  ['numprocs', 12],
  ['here', '/etc'],
  ['neg', -5],
]);

const formatError = (template: string): string => {
  try {
    pyFormat(template, names);
  } catch (error) {
    assert.ok(error instanceof FormatError);
    return error.message;
  }
  return assert.fail(`${template} should not format`);
};

describe('pyFormat (Python %-formatting with a mapping)', () => {
  const ok: [string, string][] = [
    ['%(program_name)s', 'web'],
    ['%%', '%'],
    ['100%%s', '100%s'],
    ['%(process_num)d', '7'],
    ['%(process_num)s', '7'],
    ['%(process_num)02d', '07'],
    ['%(process_num)03i', '007'],
    ['%(process_num)-4d|', '7   |'],
    ['%(process_num)+d', '+7'],
    ['%(process_num) d', ' 7'],
    ['%(process_num).3d', '007'],
    ['%(neg)05d', '-0005'],
    ['%(numprocs)x %(numprocs)X %(numprocs)#x %(numprocs)o %(numprocs)#o', 'c C 0xc 14 0o14'],
    ['%(process_num)5.2f', ' 7.00'],
    ['%(process_num)e', '7.000000e+00'],
    ['%(process_num)g', '7'],
    ['%(process_num)#.0f', '7.'],
    ['%(process_num)ld', '7'],
    ['%(program_name).2s|%(program_name)5s|%(program_name)-5s|', 'we|  web|web  |'],
    ['%(program_name)r', "'web'"],
    ['%(program_name)05s', '  web'],
  ];
  for (const [template, expected] of ok) {
    it(`${template} → ${expected}`, () => {
      assert.equal(pyFormat(template, names), expected);
    });
  }

  const errors: [string, string][] = [
    ['50%', 'incomplete format'],
    ['%(program_name', 'incomplete format key'],
    ['%(program_name)', 'incomplete format'],
    ['%(program_name)y', "unsupported format character 'y' (0x79) at index 15"],
    ['%5%', "unsupported format character '%' (0x25) at index 2"],
    ['%(program_name)d', '%d format: a real number is required, not str'],
    ['%(program_name)x', '%x format: an integer is required, not str'],
    ['%(program_name)f', 'must be real number, not str'],
    ['%(process_num)*d', 'not enough arguments for format string'],
    ['%d', '%d format: a real number is required, not dict'],
    ['%s %s', 'not enough arguments for format string'],
  ];
  for (const [template, message] of errors) {
    it(`${template} fails: ${message}`, () => {
      assert.equal(formatError(template), message);
    });
  }

  it('refuses an unnamed %s, which Python would fill with the whole table', () => {
    assert.match(formatError('date +%s'), /^%s without a \(name\) would insert the whole expansion table/);
  });

  it('reports unknown names with supervisord message and the sorted available names', () => {
    assert.throws(
      () => expand('/bin/%(nope)s', names, 'program:web.command'),
      (error: unknown) =>
        error instanceof FormatError &&
        error.missingKey === 'nope' &&
        error.message ===
          "Format string '/bin/%(nope)s' for 'program:web.command' contains names ('nope') which cannot be " +
            'expanded. Available names: here, neg, numprocs, process_num, program_name',
    );
  });

  it('reports bad formats with supervisord message', () => {
    assert.throws(() => expand('50%', names, 'environment'), {
      message: "Format string '50%' for 'environment' is badly formatted: incomplete format",
    });
  });
});
