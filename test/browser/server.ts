// The static server lives with the browser benchmark, which serves the same files.
export { serveStatic } from '../../bench/static-server.js';
