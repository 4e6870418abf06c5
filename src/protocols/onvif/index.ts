export * from './soap.js';
export * from './device-requests.js';
export * from './system-date-and-time.js';
export * from './capabilities.js';
export * from './device-information.js';
export * from './auth-fault.js';
export * from './media.js';
