import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ToolDefinition } from '../src/scheduler/tool-definition.js';
import { defineTool } from '../src/scheduler/tool-definition.js';
import { openTestDesk } from './helpers/scheduler-desk.js';
import type { TestDesk } from './helpers/scheduler-desk.js';

let desk: TestDesk;
let tools: ToolDefinition[];

beforeAll(async () => {
  desk = await openTestDesk();
  tools = desk.tools;
});

afterAll(async () => {
  await desk.close();
});

function schemaOf(name: string): {
  type: string;
  properties: Record<string, { description?: string; enum?: string[]; anyOf?: unknown[] }>;
  required?: string[];
} {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found.jsonSchema as ReturnType<typeof schemaOf>;
}

describe('scheduler tool schemas', () => {
  it('defines the six tools, each with a description', () => {
    expect(tools.map((t) => t.name)).toEqual([
      'list_services',
      'check_availability',
      'book_appointment',
      'reschedule_appointment',
      'cancel_appointment',
      'list_appointments',
    ]);
    for (const t of tools) expect(t.description.length).toBeGreaterThan(30);
    expect(tools.find((t) => t.name === 'book_appointment')?.description).toContain(
      'Europe/Berlin',
    );
  });

  it('derives each JSON schema from the zod schema that validates the arguments', () => {
    for (const t of tools) {
      const { $schema: _marker, ...fromZod } = z.toJSONSchema(t.parameters, { io: 'input' });
      expect(t.jsonSchema).toEqual(fromZod);
      expect(t.jsonSchema).not.toHaveProperty('$schema');
      expect(t.jsonSchema.type).toBe('object');
    }
  });

  it('marks the required arguments', () => {
    expect(schemaOf('list_services')).toEqual({ type: 'object', properties: {} });
    expect(schemaOf('check_availability').required).toEqual(['date']);
    expect(schemaOf('book_appointment').required).toEqual(['name', 'contact', 'service', 'start']);
    expect(schemaOf('reschedule_appointment').required).toEqual(['id', 'start', 'contact']);
    expect(schemaOf('cancel_appointment').required).toEqual(['id', 'contact']);
    expect(schemaOf('list_appointments').required).toEqual(['contact']);
  });

  it('describes every argument and lists the services', () => {
    for (const t of tools)
      for (const [key, property] of Object.entries(schemaOf(t.name).properties))
        expect(property.description, `${t.name}.${key}`).toMatch(/\w{3,}/);
    const book = schemaOf('book_appointment').properties;
    expect(book.service?.enum).toEqual(['consultation', 'basic', 'premium']);
    expect(book.service?.description).toContain('premium (90 min)');
    expect(book.start?.description).toMatch(/ISO 8601.*YYYY-MM-DDTHH:mm/);
    expect(schemaOf('check_availability').properties.service?.description).toMatch(
      /Optional.*shortest/,
    );
    expect(schemaOf('cancel_appointment').properties.id?.anyOf).toHaveLength(2);
  });
});

describe('defineTool', () => {
  it('never throws: a throwing tool answers the unavailable sentence and logs the error', async () => {
    const logged: object[] = [];
    const failing: ToolDefinition = defineTool({
      name: 'explode',
      description: 'Always fails.',
      parameters: z.object({}),
      example: '{}',
      logger: { error: (details) => logged.push(details) },
      run: () => Promise.reject(new Error('SQLITE_BUSY: secret detail')),
    });
    const output = await failing.invoke('{}');
    expect(output).toEqual({
      error: 'The booking system is unavailable right now. Please try again in a moment.',
    });
    expect(JSON.stringify(output)).not.toContain('SQLITE');
    expect(logged).toEqual([{ tool: 'explode', err: expect.any(Error) as unknown }]);
  });
});
