import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(['https://notebook.example.com']);

  it("allows the server's own host whatever the scheme, and allow-listed origins", () => {
    expect(policy.allows('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(policy.allows('https://alertbook.example.com', 'alertbook.example.com')).toBe(true);
    expect(policy.allows('https://notebook.example.com', 'alertbook.example.com')).toBe(true);
  });

  it('refuses other hosts, other ports, and opaque origins', () => {
    expect(policy.allows('https://evil.example', 'alertbook.example.com')).toBe(false);
    expect(policy.allows('http://127.0.0.1:9999', '127.0.0.1:8080')).toBe(false);
    expect(policy.allows('null', 'alertbook.example.com')).toBe(false);
    expect(policy.allows('https://notebook.example.com.evil.example', undefined)).toBe(false);
  });

  it('names an allow-list entry that is not an origin', () => {
    expect(() => new OriginPolicy(['https://ok.example', 'notebook.example.com'])).toThrow(/"notebook.example.com"/);
    expect(() => new OriginPolicy(['https://ok.example/path'])).toThrow(/not an origin/);
  });
});
