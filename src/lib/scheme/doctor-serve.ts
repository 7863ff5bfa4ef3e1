/**
 * The worker's side of the request doctor: each job arrives with the keys for every reading of the
 * key box, so it is examined without asking the page anything, and answered once.
 */
import { examineRequest } from './doctor';
import { couldNotExamine, runJob, type DoctorJob, type DoctorReply, type Port } from './doctor-protocol';

/** Answer each job on `port` with one reply. */
export function serveDoctor(port: Port<DoctorJob, DoctorReply>): void {
  port.onmessage = ({ data }) =>
    void runJob(data, examineRequest).then((reply) => {
      try {
        port.postMessage(reply);
      } catch (e) {
        port.postMessage({ id: data.id, result: couldNotExamine(e) }); // a value that cannot be cloned
      }
    });
}
