/** Every HTTP service a simulated device may host, asked in order; the first that claims a request answers it. */
import { onvifService } from './onvif.js';
import { onvifMediaService } from './onvif-media.js';
import { hikvisionService } from './hikvision.js';
import { axisService } from './axis.js';
import { dahuaService } from './dahua.js';
import { lockSettingsService } from './lock-settings.js';
import type { HttpService } from './types.js';

export const HTTP_SERVICES: HttpService[] = [onvifMediaService, onvifService, lockSettingsService, hikvisionService, axisService, dahuaService];
export type { HttpService, ServiceHost, ServiceRequest } from './types.js';
