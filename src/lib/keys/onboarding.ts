import type { ProfileId } from './profiles';

/** Which of keybench's controls does a step, so the checklist can link to it. */
export type StepAction = 'generate' | 'export' | 'upload' | 'import-partner-key' | 'sign';

/** One onboarding step as the partner describes it (PARTNERS.md, "Onboarding steps"). */
export interface OnboardingStep {
  title: string;
  detail: string;
  /** Set when keybench does this step (or part of it). */
  action?: StepAction;
}

/** Each partner's onboarding checklist, in its own order. */
export const ONBOARDING: Record<ProfileId, readonly OnboardingStep[]> = {
  qredo: [
    {
      title: 'Get your API key',
      detail:
        'In the Qredo Web App: your name (top right) → choose the account → Settings → Partner API tab → Generate API Key. Copy it (Base64) and keep it as the apikey text. Production and sandbox use the same base URL and endpoints. Regenerating replaces the key in every organisation where you are an administrator.',
    },
    {
      title: 'Generate an RSA-2048 key pair',
      detail:
        'keybench replaces openssl genrsa and openssl rsa -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload public.pem',
      detail:
        'Download or copy public.pem, then on the same Settings page → Upload Public Key → paste the whole file (armour lines included) → Upload. A green LIVE indicator confirms it.',
      action: 'upload',
    },
    {
      title: 'Sign each request',
      detail:
        'Send x-api-key, x-timestamp and x-sign. Never put API keys in the front-end code of a product or commit them; keep them on your server.',
      action: 'sign',
    },
  ],
  qitech: [
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
      detail:
        "Never share your private key, and do not share QI Tech's public key or your integration key either.",
      action: 'sign',
    },
  ],
  ed25519: [
    {
      title: 'Generate an Ed25519 key pair',
      detail:
        'keybench replaces openssl genpkey -algorithm ed25519 and openssl pkey -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Register the public key PEM',
      detail:
        'Binance: API Management → Create API → Self-generated → paste the public key PEM (ed25519.pub.pem). Binance shows the API key to send as X-MBX-APIKEY. Other Ed25519 APIs ask for the same SPKI PEM, or the JWK.',
      action: 'upload',
    },
  ],
};
