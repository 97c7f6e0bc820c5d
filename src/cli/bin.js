#!/usr/bin/env node
// The package's `alertbook` executable: the CLI is TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
