import { createTwoFilesPatch } from 'diff';
import { ValidationError } from '../errors.js';
import { currentVersionSha, getRunbookVersion, type RunbookReadContext } from './read-runbooks.js';

/** A unified diff between two versions; `to` defaults to the current version. */
export async function diffRunbookVersions({
  ctx,
  input,
}: {
  ctx: RunbookReadContext;
  input: { id: string; from?: string; to?: string };
}) {
  if (!input.from) throw new ValidationError('from', 'the version to compare from is required');
  const toSha = input.to || (await currentVersionSha({ ctx, input }));
  const [from, to] = await Promise.all([
    getRunbookVersion({ ctx, input: { id: input.id, sha: input.from } }),
    getRunbookVersion({ ctx, input: { id: input.id, sha: toSha } }),
  ]);
  const diff = createTwoFilesPatch(
    from.path,
    to.path,
    from.content,
    to.content,
    from.sha.slice(0, 12),
    to.sha.slice(0, 12),
  );
  return { id: input.id, from: from.sha, to: to.sha, diff };
}
