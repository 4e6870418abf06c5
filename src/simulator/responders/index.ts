export * from './types.js';
export * from './multicast-hub.js';
export * from './sadp-responder.js';
export * from './dhip-responder.js';
export * from './ssdp-responder.js';
export * from './mdns-responder.js';
export * from './start-responders.js';
