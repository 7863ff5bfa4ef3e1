/**
 * The codes JWT client assertions (the evaluator, the rules files, the form) raise. errors.ts joins
 * them into ErrorCode; a test checks each is raised in this folder. The file imports nothing, so
 * errors.ts takes it without an import cycle.
 */
export type AssertionCode =
  | 'ERR_ASSERT_UNVERIFIED'
  | 'ERR_ASSERT_ALG'
  | 'ERR_ASSERT_HEADER_MISSING'
  | 'ERR_ASSERT_KID'
  | 'ERR_ASSERT_THUMBPRINT_MISSING'
  | 'ERR_ASSERT_THUMBPRINT_SHA1'
  | 'ERR_ASSERT_THUMBPRINT_SHA256'
  | 'ERR_ASSERT_THUMBPRINT_ALG'
  | 'ERR_ASSERT_THUMBPRINT_OTHER_CERT'
  | 'ERR_ASSERT_X5C_ONLY'
  | 'ERR_ASSERT_CLAIM_MISSING'
  | 'ERR_ASSERT_CLAIM_TYPE'
  | 'ERR_ASSERT_CLAIM_VALUE'
  | 'ERR_ASSERT_CLIENT_ID'
  | 'ERR_ASSERT_ISS_SUB'
  | 'ERR_ASSERT_AUD'
  | 'ERR_ASSERT_JTI_MISSING'
  | 'ERR_ASSERT_URIS'
  | 'ERR_ASSERT_LIFETIME'
  | 'ERR_ASSERT_TIME_UNIT'
  | 'ERR_ASSERT_EXPIRED'
  | 'ERR_ASSERT_IAT_FUTURE'
  | 'ERR_ASSERT_NBF_FUTURE'
  | 'ERR_ASSERT_OPTION_MISSING'
  | 'ERR_ASSERT_INPUT'
  | 'ERR_ASSERT_KEY_ALG'
  | 'ERR_ASSERT_CERTIFICATE';
