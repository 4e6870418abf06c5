export * from './mdns-service.js';
