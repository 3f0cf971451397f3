import { pythonRepr } from '../../../lib/protocol';
import { pythonReprsOf, REPR_SAMPLES } from '../../support/repr-samples';

describe('pythonRepr', () => {
  const expected = pythonReprsOf(REPR_SAMPLES);

  it.each(REPR_SAMPLES.map((value, i) => [value, expected[i].repr]))(
    'writes %p as Python repr() writes it after json.loads: %s',
    (value, repr) => {
      expect(pythonRepr(value)).toBe(repr);
    },
  );

  it('writes an exception the way Celery stores it in a ChordError', () => {
    expect(`ValueError(${pythonRepr('bad\ninput')})`).toBe(
      "ValueError('bad\\ninput')",
    );
  });

  it('writes a container met again inside itself as Python does', () => {
    const list: unknown[] = [1];
    list.push(list);
    expect(pythonRepr(list)).toBe('[1, [...]]');
  });
});
