import { describe, expect, it } from 'vitest';
import { OutputDecoder } from './cell-output.js';

describe('OutputDecoder', () => {
  it('splits marked lines into structured outputs and the rest into text, across chunk boundaries', () => {
    const decoder = new OutputDecoder('\u001eMARK');
    decoder.push('one\ntw');
    decoder.push('o\n\u001eMARK{"kind":"json","va');
    decoder.push('lue":[1]}\nthree');
    expect(decoder.end()).toEqual([
      { kind: 'text', text: 'one\ntwo\n' },
      { kind: 'json', value: [1] },
      { kind: 'text', text: 'three' },
    ]);
  });

  it('keeps a line with a wrong marker or a bad payload as text', () => {
    const decoder = new OutputDecoder('\u001eMARK');
    decoder.push('\u001eOTHER{"kind":"json","value":1}\n\u001eMARK{"kind":"exec"}\n');
    expect(decoder.end()).toEqual([
      { kind: 'text', text: '\u001eOTHER{"kind":"json","value":1}\n\u001eMARK{"kind":"exec"}\n' },
    ]);
  });
});
