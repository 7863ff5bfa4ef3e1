/**
 * The request doctor's module worker. Built as its own chunk (`?worker&url`), loaded only when a
 * signed request is pasted, precached by the service worker like every file of the build.
 */
import type { DoctorJob, DoctorReply, Port } from './doctor-protocol';
import { serveDoctor } from './doctor-serve';

serveDoctor(globalThis as unknown as Port<DoctorJob, DoctorReply>);
