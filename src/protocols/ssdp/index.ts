export * from './ssdp.js';
export * from './upnp-description.js';
export * from './constants.js';
