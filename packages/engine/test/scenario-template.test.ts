import { describe, expect, it } from 'vitest';
import type { FilterContext, Template } from '../src/scenario/index.js';
import {
  compileTemplate,
  evaluateTemplate,
  parseNumberPhrase,
  renderTemplate,
} from '../src/scenario/index.js';

const ctx: FilterContext = { now: new Date('2026-11-21T10:00:00Z'), timeZone: 'Europe/Paris' };

function compile(source: string): Template {
  const result = compileTemplate(source);
  if (!result.ok) throw new Error(result.message);
  return result.template;
}

const render = (source: string, vars: Record<string, unknown> = {}): string =>
  renderTemplate(compile(source), vars, ctx);

describe('templates', () => {
  it('fills captures and leaves literal text alone', () => {
    expect(
      render('Hello {{name}}, welcome to {{ place }}!', { name: 'Alex', place: 'Paris' }),
    ).toBe('Hello Alex, welcome to Paris!');
    expect(render('no templates here')).toBe('no templates here');
  });

  it('reads nested output fields and list items by path', () => {
    const output = { appointment: { id: 'A-7' }, slots: ['9:00', '10:00'] };
    expect(render('{{output.appointment.id}} {{output.slots.1}}', { output })).toBe('A-7 10:00');
  });

  it('renders missing variables as nothing and objects as JSON', () => {
    expect(render('[{{missing}}] [{{output.nope.deeper}}]', { output: {} })).toBe('[] []');
    expect(render('{{output}}', { output: { a: 1 } })).toBe('{"a":1}');
  });

  it('does not read inherited properties', () => {
    expect(render('{{constructor}}{{output.toString}}', { output: {} })).toBe('');
  });

  it('explains syntax errors, unknown filters and argument counts', () => {
    const message = (source: string): string => {
      const result = compileTemplate(source);
      return result.ok ? 'compiled' : result.message;
    };
    expect(message('Hi {{name')).toMatch(/unclosed "\{\{"/);
    expect(message('{{ }}')).toMatch(/expected a variable name/);
    expect(message('{{name | shout}}')).toMatch(/unknown filter "shout" \(known: capitalize/);
    expect(message('{{name | upper("x")}}')).toMatch(/"upper" takes 0 arguments, got 1/);
    expect(message('{{name | default("a"}}')).toMatch(/expected "," or "\)"/);
    expect(message('{{name name}}')).toMatch(/expected "\|" before a filter/);
    expect(message('{{name}} and {{ other | trim }}')).toBe('compiled');
  });

  it('keeps the value type of a single-expression template', () => {
    expect(evaluateTemplate(compile('{{n | number}}'), { n: 'twenty one' }, ctx)).toBe(21);
    expect(
      evaluateTemplate(compile('{{output.slots}}'), { output: { slots: [1, 2] } }, ctx),
    ).toEqual([1, 2]);
    expect(evaluateTemplate(compile('{{missing}}'), {}, ctx)).toBeUndefined();
    expect(evaluateTemplate(compile('n={{n | number}}'), { n: '3' }, ctx)).toBe('n=3');
  });
});

describe('filters', () => {
  it('capitalize, title, lower, upper and trim change case and spacing', () => {
    const vars = { name: 'alex smith', shout: 'LOUD', pad: '  x  ' };
    expect(render('{{name | capitalize}}', vars)).toBe('Alex smith');
    expect(render('{{name | title}}', vars)).toBe('Alex Smith');
    expect(render('{{shout | lower}}', vars)).toBe('loud');
    expect(render('{{name | upper}}', vars)).toBe('ALEX SMITH');
    expect(render('[{{pad | trim}}]', vars)).toBe('[x]');
  });

  it('default fills in missing, null and empty values with a literal or another variable', () => {
    expect(render('{{name | default("there")}}', {})).toBe('there');
    expect(render("{{name | default('there')}}", { name: '' })).toBe('there');
    expect(render('{{name | default(other)}}', { name: null, other: 'Sam' })).toBe('Sam');
    expect(render('{{name | capitalize | default("you")}}', {})).toBe('you');
    expect(render('{{name | default("there")}}', { name: 'Alex' })).toBe('Alex');
    expect(render('{{n | default(0)}}', {})).toBe('0');
  });

  it('json encodes values', () => {
    expect(render('{{v | json}}', { v: 'say "hi"' })).toBe('"say \\"hi\\""');
    expect(render('{{v | json}}', { v: { a: [1] } })).toBe('{"a":[1]}');
    expect(render('{{v | json}}', {})).toBe('null');
  });

  it('datetime, date and time read phrases against the injected clock and zone', () => {
    const vars = { when: 'tomorrow at 3 pm', day: 'tomorrow', spoken: 'three thirty pm' };
    expect(render('{{when | datetime}}', vars)).toBe('2026-11-22T15:00:00+01:00');
    expect(render('{{day | date}}', vars)).toBe('2026-11-22');
    expect(render('{{spoken | time}}', vars)).toBe('15:30');
    expect(render('{{when | time}}', vars)).toBe('15:00');
  });

  it('date filters pass unparseable values through unchanged', () => {
    expect(render('{{v | datetime}}', { v: 'whenever suits' })).toBe('whenever suits');
    expect(render('{{v | datetime}}', { v: 'tomorrow' })).toBe('tomorrow');
    expect(render('{{v | date}}', { v: 'someday' })).toBe('someday');
    expect(render('{{v | time}}', { v: 'tomorrow' })).toBe('tomorrow');
  });

  it('date filters convert each string of a list', () => {
    const slots = ['2026-11-23T09:00:00+01:00', '2026-11-23T10:30:00+01:00'];
    expect(render('{{slots | time | join(", ")}}', { slots })).toBe('09:00, 10:30');
    expect(render('{{slots | readable_time | join(", ")}}', { slots })).toBe('9:00 AM, 10:30 AM');
  });

  it('readable_time says the time of day as people read it, in the zone', () => {
    expect(render('{{v | readable_time}}', { v: '2026-11-23T15:30:00+01:00' })).toBe('3:30 PM');
    expect(render('{{v | readable_time}}', { v: '2026-11-23T11:00:00Z' })).toBe('12:00 PM');
    expect(render('{{v | readable_time}}', { v: '2026-11-23T00:05:00+01:00' })).toBe('12:05 AM');
    expect(render('{{v | readable_time}}', { v: 'tomorrow at three thirty pm' })).toBe('3:30 PM');
    // No time in it: unchanged.
    expect(render('{{v | readable_time}}', { v: '2026-11-23' })).toBe('2026-11-23');
    expect(render('{{v | readable_time}}', { v: 'whenever' })).toBe('whenever');
  });

  it('readable turns ISO date-times and dates into words in the zone', () => {
    expect(render('{{v | readable}}', { v: '2026-11-22T14:00:00Z' })).toBe(
      'Sunday, November 22 at 3:00 PM',
    );
    expect(render('{{v | readable}}', { v: '2026-11-22' })).toBe('Sunday, November 22');
    expect(render('{{v | readable}}', { v: 'not a date' })).toBe('not a date');
  });

  it('email reads spoken addresses and normalises typed ones', () => {
    expect(render('{{c | email}}', { c: 'alex at example dot com' })).toBe('alex@example.com');
    expect(
      render('{{c | email}}', {
        c: 'alex dot smith underscore two at mail dot example dot co dot uk',
      }),
    ).toBe('alex.smith_two@mail.example.co.uk');
    expect(render('{{c | email}}', { c: 'Alex@Example.com.' })).toBe('alex@example.com');
    expect(render('{{c | email}}', { c: '555 0100' })).toBe('555 0100');
  });

  it('phone reads digits and number words and leaves other text alone', () => {
    expect(render('{{c | phone}}', { c: '+1 (555) 010-0100' })).toBe('+15550100100');
    expect(render('{{c | phone}}', { c: 'five five five zero one zero zero' })).toBe('5550100');
    expect(render('{{c | phone}}', { c: 'plus four four twenty seventy' })).toBe('+442070');
    expect(render('{{c | phone}}', { c: 'alex@example.com' })).toBe('alex@example.com');
  });

  it('number reads digits and number words', () => {
    expect(evaluateTemplate(compile('{{v | number}}'), { v: 'twelve' }, ctx)).toBe(12);
    expect(evaluateTemplate(compile('{{v | number}}'), { v: '3.5' }, ctx)).toBe(3.5);
    expect(evaluateTemplate(compile('{{v | number}}'), { v: 'many' }, ctx)).toBe('many');
    expect(parseNumberPhrase('one hundred and five')).toBe(105);
    expect(parseNumberPhrase('forty-two')).toBe(42);
    expect(parseNumberPhrase('three thirty')).toBeUndefined();
  });

  it('spelled compacts spelt-out ids', () => {
    expect(render('{{id | spelled}}', { id: 'forty two' })).toBe('42');
    expect(render('{{id | spelled}}', { id: 'a seven dash one two' })).toBe('a7-12');
    expect(render('{{id | spelled}}', { id: 'A-1042' })).toBe('A-1042');
  });

  it('join joins lists, reading a field of objects when named', () => {
    expect(render('{{v | join}}', { v: ['a', 'b'] })).toBe('a, b');
    expect(render('{{v | join(" / ")}}', { v: [1, 2] })).toBe('1 / 2');
    expect(
      render('{{v | join(", ", "name")}}', {
        v: [{ name: 'basic', price: 5 }, { name: 'premium' }],
      }),
    ).toBe('basic, premium');
    expect(render('{{v | join("; ")}}', { v: [{ id: 'A', start: 'x', extra: { a: 1 } }] })).toBe(
      'A x',
    );
    expect(render('{{v | join}}', { v: 'not a list' })).toBe('not a list');
  });
});
