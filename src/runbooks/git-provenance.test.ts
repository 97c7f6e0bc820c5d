import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { lastCommits } from './git-provenance.js';

const repo = mkdtempSync(join(tmpdir(), 'alertbook-git-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();

it('names the last commit of each unmodified runbook, none for edited or untracked ones', async () => {
  git('init', '-q');
  mkdirSync(join(repo, 'runbooks'));
  const file = (name: string) => join(repo, 'runbooks', name);
  writeFileSync(file('clean.md'), '---\ntitle: Clean\n---\n');
  writeFileSync(file('edited.md'), '---\ntitle: Edited\n---\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  writeFileSync(file('clean.md'), '---\ntitle: Clean v2\n---\n');
  git('commit', '-qam', 'second');
  const second = git('rev-parse', 'HEAD');
  appendFileSync(file('edited.md'), 'work in progress\n');
  writeFileSync(file('new.md'), '---\ntitle: New\n---\n');

  const commits = await lastCommits(join(repo, 'runbooks'), [file('clean.md'), file('edited.md'), file('new.md')]);
  expect([...commits]).toEqual([[file('clean.md'), second]]);
});

it('is empty outside a git work tree', async () => {
  const plain = mkdtempSync(join(tmpdir(), 'alertbook-plain-'));
  try {
    expect((await lastCommits(plain, [join(plain, 'a.md')])).size).toBe(0);
  } finally {
    rmSync(plain, { recursive: true, force: true });
  }
});
