export * from './mdns-service.js';
export * from './constants.js';
