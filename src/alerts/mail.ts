import { hostname } from 'node:os';
import type { AlertConfig, AlertTarget, MailSettings } from '../config/index.js';
import { TEND_VERSION } from '../version.js';
import { renderText, summaryOf } from './message.js';
import { ATTEMPT_TIMEOUT_MS, type Delivery, type Transport } from './transport.js';

// Mail through nodemailer's SMTP client, loaded on first use so a daemon without mail alerts
// never carries it (its heap is copied at every fork). One connection per message: alerts are
// rare, and a pooled connection would sit idle. smtp:// upgrades with STARTTLS when the server
// offers it (smtp_tls = auto), insists on it (required) or never tries (none); smtps:// is TLS
// from the first byte. Certificates are verified (NODE_EXTRA_CA_CERTS adds a private CA).

type MailTarget = Extract<AlertTarget, { kind: 'mail' }>;

const transportOptions = (target: MailTarget, mail: MailSettings) => ({
  host: target.host,
  port: target.port,
  secure: target.secure,
  requireTLS: mail.tls === 'required',
  ignoreTLS: mail.tls === 'none',
  ...(mail.user === null || mail.password === null ? {} : { auth: { user: mail.user, pass: mail.password } }),
  name: hostname(),
  connectionTimeout: ATTEMPT_TIMEOUT_MS,
  greetingTimeout: ATTEMPT_TIMEOUT_MS,
  socketTimeout: ATTEMPT_TIMEOUT_MS,
});

export const mailTransport = (alert: AlertConfig, target: MailTarget, mail: MailSettings): Transport => {
  return async (delivery: Delivery) => {
    const nodemailer = await import('nodemailer');
    const transport = nodemailer.createTransport(transportOptions(target, mail));
    try {
      await transport.sendMail({
        from: mail.from,
        to: [...mail.to],
        subject: summaryOf(delivery.message),
        text: renderText(delivery.message),
        headers: {
          'X-Tend-Alert': alert.name,
          'X-Tend-Delivery': delivery.id,
          'X-Mailer': `tend/${TEND_VERSION}`,
        },
      });
    } finally {
      transport.close();
    }
  };
};
