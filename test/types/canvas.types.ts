/**
 * Compile-time checks of canvas (run by `tsc --noEmit`, never executed): a chain is
 * typed step by step where both ends are typed, and every `@ts-expect-error` line must
 * be an error.
 */
import {
  AsyncResult,
  GroupResult,
  Task,
  TaskClient,
  chain,
  chord,
  group,
} from '../../lib';

class MediaTasks {
  @Task('media.fetch')
  fetch(url: string): Promise<number> {
    return Promise.resolve(url.length);
  }

  @Task('media.resize')
  resize(bytes: number, width: number): string {
    return `${bytes}@${width}`;
  }

  @Task('media.publish')
  publish(path: string): boolean {
    return path !== '';
  }

  @Task('media.total')
  total(sizes: number[]): number {
    return sizes.length;
  }
}

export async function canvasChecks(client: TaskClient): Promise<void> {
  const fetch = client.signature(MediaTasks, 'fetch', ['https://x']);
  const resize = client.signature(MediaTasks, 'resize', [200]);
  const publish = client.signature(MediaTasks, 'publish');

  // number -> resize(bytes: number) -> string -> publish(path: string): compiles.
  const published: AsyncResult<boolean> = await chain(
    fetch,
    resize,
    publish,
  ).applyAsync();
  void published;

  // @ts-expect-error publish takes a string, fetch returns a number
  chain(fetch, publish);

  // @ts-expect-error the last step's result is a string, not a number
  const wrong: AsyncResult<number> = await chain(fetch, resize).applyAsync();
  void wrong;

  // An immutable step takes no input: any previous result fits.
  chain(fetch, publish.si());

  // A step by name takes any input; its result is what you say it is.
  chain(fetch, client.signature<string>('py.anything'), publish);

  // link: the callback gets the result.
  fetch.link(resize);
  // @ts-expect-error publish cannot take fetch's number
  fetch.link(publish);

  const sizes: GroupResult<number> = await group(fetch, fetch).applyAsync();
  void sizes;

  const total: AsyncResult<number> = await chord(
    [fetch, fetch],
    client.signature(MediaTasks, 'total'),
  ).applyAsync();
  void total;

  // @ts-expect-error the body must take the list of header results
  chord([fetch, fetch], publish);

  // Partial arguments are typed as the method's last parameters.
  client.signature(MediaTasks, 'resize', [1, 200]);
  client.signature(MediaTasks, 'resize', []);
  // @ts-expect-error resize's width is a number
  client.signature(MediaTasks, 'resize', ['wide']);
  // @ts-expect-error resize takes two parameters, not three
  client.signature(MediaTasks, 'resize', [1, 2, 3]);
  // @ts-expect-error publish takes a path string
  client.signature(MediaTasks, 'publish', [true]);

  // map, starmap, chunks: items typed as the task's first parameter, or all of them.
  const lengths: AsyncResult<number[]> = await client
    .signature(MediaTasks, 'fetch')
    .map(['https://a', 'https://b'])
    .applyAsync();
  void lengths;
  // @ts-expect-error fetch takes a url string, not a number
  client.signature(MediaTasks, 'fetch').map([1]);
  client.signature(MediaTasks, 'resize').starmap([[1, 200]]);
  // @ts-expect-error resize takes (bytes: number, width: number)
  client.signature(MediaTasks, 'resize').starmap([['1', 200]]);
  const parts: GroupResult<string[]> = await client
    .signature(MediaTasks, 'resize')
    .chunks([[1, 200]], 10)
    .applyAsync();
  void parts;
}
