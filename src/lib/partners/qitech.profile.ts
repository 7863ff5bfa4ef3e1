import { definePartner } from '../partner-profile';

/** QI Tech: QIT v1, v2 and the QI DTVM variant (PARTNERS.md, "QI Tech"). */
export default definePartner({
  id: 'qitech',
  name: 'QI Tech',
  order: 2,
  accepts: [{ kty: 'EC', curve: 'P-521' }],
  generate: ['p-521'],
  upload: {
    format: 'spki-pem',
    fileName: 'jwtECDSASHA512.key.pub',
    where: 'QI Tech sandbox → My Profile → Integration tab → the first field → SAVE KEY.',
  },
  fingerprint: {
    format: 'none',
    where: 'The Integration tab shows the saved key text, not a fingerprint: compare the public key itself.',
  },
  checklist: [
    {
      title: 'Generate an ECDSA P-521 key pair',
      detail: 'keybench replaces ssh-keygen and openssl ec -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload jwtECDSASHA512.key.pub',
      detail:
        'Log in to the QI Tech sandbox → My Profile (left menu) → Integration tab → paste your public key in the first field → SAVE KEY.',
      action: 'upload',
    },
    {
      title: "Keep QI Tech's public key and your integration key",
      detail:
        "Copy QI Tech's public key and your integration key (UUID) from the fields below it. Import QI Tech's public key into keybench as a trusted public key to verify its responses.",
      action: 'import-partner-key',
    },
    {
      title: 'Keep secrets secret',
      detail: 'Never share your private key or your integration key (UUID).',
      action: 'sign',
    },
  ],
  schemes: ['qit-v2', 'qit-v1', 'qi-dtvm'],
  mistakes: [
    { code: 'ERR_QIT_MD5_RAW_JSON', title: 'md5 over the raw JSON instead of the encoded_body JWS' },
    { code: 'ERR_QIT_GET_CONTENT_TYPE', title: 'GET signed with a content-type line' },
    { code: 'ERR_QIT_CONTENT_TYPE', title: 'Content-Type sent differs from the one signed' },
    { code: 'ERR_QIT_ENDPOINT_QUERY', title: 'Endpoint signed with or without its query string' },
    { code: 'ERR_QIT_DATE', title: 'Date line in another format' },
    { code: 'ERR_QIT_METHOD_CASE', title: 'Method signed in lower case' },
    { code: 'ERR_QIT_SUB_API_KEY', title: 'sub is not the API key sent' },
    { code: 'ERR_QIT_DER_SIGNATURE', title: 'DER-encoded ECDSA signature instead of raw r‖s' },
    { code: 'ERR_QIT_BODY_OTHER_KEY', title: 'encoded_body signed by another key' },
    { code: 'ERR_QIT_OTHER_KEY', title: 'The key or the signed bytes differ' },
    { code: 'ERR_QIT_NO_KEY', title: 'No P-521 key here to check it with' },
    { code: 'ERR_QIT_MD5', title: 'The body is not the one whose md5 was signed' },
    { code: 'ERR_QIT_API_KEY', title: '"QIT <api key>:" names another key than sub' },
    { code: 'ERR_QIT_CLAIMS', title: 'Claims missing from the token' },
    { code: 'ERR_QIT_EXTRA_CLAIMS', title: 'Claims the samples do not send' },
    { code: 'ERR_QIT_V2_SERIALISATION', title: 'Body hashed in another serialisation than sent' },
    { code: 'ERR_QIT_V2_EMPTY_PAYLOAD', title: 'md5("") and md5("{}") confused' },
    { code: 'ERR_QIT_TIMESTAMP_FORMAT', title: 'Timestamp in another form' },
    { code: 'ERR_QIT_URI', title: 'uri with host or query, or another path' },
    { code: 'ERR_QIT_UNSIGNED_BODY', title: 'A body sent on GET/DELETE that is not signed' },
    { code: 'ERR_QIT_AUTH_HEADER', title: 'AUTHORIZATION with a "Bearer " prefix' },
  ],
  source: 'PARTNERS.md, "QI Tech" and "QI Tech v2"',
});
