import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type DenoBinary = { available: true; path: string } | { available: false; reason: string };

// The `deno` package's optional dependencies, by Node's platform and arch (musl has none).
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@deno/linux-x64-glibc',
  'linux-arm64': '@deno/linux-arm64-glibc',
  'darwin-x64': '@deno/darwin-x64',
  'darwin-arm64': '@deno/darwin-arm64',
  'win32-x64': '@deno/win32-x64',
  'win32-arm64': '@deno/win32-arm64',
};

/**
 * The Deno binary shipped by the platform package the `deno` npm package depends on.
 * Resolved here rather than by its postinstall, which package.json's allowScripts denies
 * (it only hard-links the same file into node_modules/deno). Never downloads anything.
 */
export function locateDeno(platform: string = process.platform, arch: string = process.arch): DenoBinary {
  const packageName = PLATFORM_PACKAGES[`${platform}-${arch}`];
  if (!packageName) return { available: false, reason: `no Deno build for ${platform}-${arch}` };
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch {
    return { available: false, reason: `${packageName} is not installed (npm install deno)` };
  }
  const path = join(packageDir, platform === 'win32' ? 'deno.exe' : 'deno');
  return existsSync(path) ? { available: true, path } : { available: false, reason: `${path} is missing` };
}
