/** QI DTVM's Sign form: v2's, with whole-second timestamps and payload_md5 only with a body. */
import { QI_DTVM } from './sign';
import { v2Form } from '../qit-v2/form';

export default v2Form('qi-dtvm', QI_DTVM);
