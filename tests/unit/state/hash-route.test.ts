import { describe, expect, it } from 'vitest';
import { parseHash, queryParam } from '../../../src/state/hash-route';

describe('parseHash', () => {
  it('the site root, #/ and an unknown route are the landing', () => {
    for (const hash of ['', '#', '#/', '#/nothing', '#main'])
      expect(parseHash(hash), hash).toEqual({ view: 'home', query: '' });
  });
  it('reads the views and their query', () => {
    expect(parseHash('#/keys')).toEqual({ view: 'keys', query: '' });
    expect(parseHash('#/sign')).toEqual({ view: 'sign', query: '' });
    expect(parseHash('#/inspect?token=a.b.c')).toEqual({ view: 'inspect', query: 'token=a.b.c' });
    expect(queryParam(parseHash('#/inspect?token=a.b.c').query, 'token')).toBe('a.b.c');
  });
});
