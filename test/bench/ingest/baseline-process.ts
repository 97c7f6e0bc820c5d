// The baseline, a child process of the benchmark (child-worker.ts): a bare
// postgres.js script, apart from the app's process and its figures.
import { measureBaseline, type BaselineOrder } from './baseline-measurement.js';
import { serveOrders } from './child-worker.js';

serveOrders((order: BaselineOrder, signal) => measureBaseline(order.url, { ...order.scenario, signal }));
