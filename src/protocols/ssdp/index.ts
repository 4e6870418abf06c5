export * from './ssdp.js';
export * from './upnp-description.js';
