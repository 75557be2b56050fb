// Types of scripts/build-web.mjs (plain Node, imported by test/fresh-web.ts).
import type { BuildInputs } from './stamp.mjs';
export declare const WEB_INPUTS: BuildInputs;
export declare function staleWebReason(): string | null;
export declare function buildWeb(options?: { force?: boolean }): Promise<void>;
