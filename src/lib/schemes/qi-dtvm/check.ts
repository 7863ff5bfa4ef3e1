/** adapter (H1): the QI DTVM request check, v2's with QI DTVM's timestamp, until H4's check replaces it. */
import { qitV2Check } from '../qit-v2/check';

export default qitV2Check('qi-dtvm');
