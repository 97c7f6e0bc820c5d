export * from './incidents.js';
export * from './alerts.js';
export * from './timeline.js';
export * from './notifications.js';
export * from './runbooks.js';
export * from './reports.js';
export * from './tuning.js';
export * from './outbox.js';
