/**
 * Every word the platform itself says to a customer, in English: the pages reached from an
 * email, the footer it adds to emails, the error pages. zh-cn.ts has the same keys (a unit test
 * checks it). `{name}` is filled in by say() (say.ts).
 */
export const EN = {
  "page.safety": "{bank} will never ask for your password or a verification code by email or on this page.",
  "page.legal": "{legalName} · {address} · Service hotline {hotline}",

  "offer.details": "About this product",
  "offer.product": "Product",
  "offer.kind": "Type",
  "offer.riskLevel": "Risk level",
  "offer.riskLevelValue": "{level} ({label})",
  "offer.riskTitle": "Risk disclosure",
  "offer.riskStatement": "Wealth management products are not deposits. Products carry risk. Invest with care.",
  "offer.question": "What would you like to do?",
  "offer.yourAnswer": "Your answer: {answer}.",
  "offer.changeBelow": "You can change it below.",
  "offer.relationshipManager": "Your relationship manager is {name}.",
  "offer.questions": "Questions? Call our service hotline {hotline}.",

  "kind.deposit": "Deposit",
  "kind.wealth": "Wealth management",
  "kind.card": "Bank card",
  "kind.loan": "Loan",
  "kind.settlement": "Payments and settlement",
  "kind.insurance": "Insurance",

  "risk.R1": "low",
  "risk.R2": "medium-low",
  "risk.R3": "medium",
  "risk.R4": "medium-high",
  "risk.R5": "high",

  "answer.interested": "I'm interested",
  "answer.call_me": "Please call me",
  "answer.not_now": "Not now",
  "answer.unsubscribe": "Stop sending me offers",

  "answered.title": "Thank you",
  "answered.recorded": "Your answer is recorded.",
  "answered.interested":
    "Your relationship manager or a colleague at your branch will contact you within {days} working days to tell you more. Nothing is opened or charged until you agree.",
  "answered.callMe": "Your relationship manager will call you.",
  "answered.callTimeQuestion": "When is a good time to call?",
  "answered.callTimeChosen": "We will call you in the {time}.",
  "answered.callTimeChange": "You can choose another time below.",
  "answered.notNow": "We will not offer you the {product} again for {days} days. You can contact us at any time.",
  "answered.changeMind": "Changed your mind? Change your answer",

  "callTime.morning": "morning (9:00–12:00)",
  "callTime.afternoon": "afternoon (14:00–17:00)",
  "callTime.evening": "evening (18:00–20:00)",
  "callTimeOption.morning": "Morning (9:00–12:00)",
  "callTimeOption.afternoon": "Afternoon (14:00–17:00)",
  "callTimeOption.evening": "Evening (18:00–20:00)",

  "unsubscribe.title": "Unsubscribe",
  "unsubscribe.question": "Stop receiving offers by email from {bank}?",
  "unsubscribe.button": "Unsubscribe",
  "unsubscribed.title": "You are unsubscribed",
  "unsubscribed.body": "{bank} will send you no more offers by email.",

  "preferences.title": "Your offer preferences",
  "preferences.intro":
    "Choose how {bank} may send you offers, and which products it may tell you about. Every campaign from now on follows your choices.",
  "preferences.channels": "How we may send you offers",
  "preferences.categories": "Which products we may tell you about",
  "preferences.save": "Save my choices",
  "preferences.saved": "Your choices are saved: {changes}.",
  "preferences.on": "{what} on",
  "preferences.off": "{what} off",
  "preferences.for": "Your choices for {address}.",
  "preferences.scope":
    "These choices are about offers only. Account statements, security alerts and calls you ask for are not affected.",
  "preferences.unchanged": "Nothing has changed: your choices are as they were.",
  "preferences.recorded": "Each change is kept as your own choice, with the time you made it.",
  "preferences.link": "Choose which offers you receive, and how",
  "preferences.expiredTitle": "Stop offers",
  "preferences.expired":
    "This link is from an email more than {days} days old. It can still turn offers off, but not on, in case the email is in someone else's hands. To see your choices or turn any on, ask for a new link.",
  "preferences.stopChannels": "Stop offers sent by",
  "preferences.stopCategories": "Stop offers of",
  "preferences.stopChosen": "Stop what I ticked",
  "preferences.stopEverything": "Stop all offers",
  "preferences.newLinkTitle": "A new link",
  "preferences.newLink": "Email me a new link",

  "expiredOffer.title": "This link has expired",
  "expiredOffer.body":
    "Links in our emails work for {days} days, and this one is older. We can email you a current link to this offer.",
  "renew.button": "Email me a current link",
  "renew.privacy": "We send it only to the email address we have for you, never to one typed on a page.",
  "renewed.title": "Check your email",
  "renewed.notSentTitle": "No email sent",
  "renewed.sent": "We've sent it to the email address we have for you. Its links work for {days} days.",
  "renewed.already_sent":
    "We have already sent you a current link today, to the email address we have for you. Look for it in your inbox; you can ask again tomorrow.",
  "renewed.ended": "This offer has ended, so there is no current link to send.",
  "renewed.paused": "This offer is not available at the moment, so we cannot send a link now. Please try again later.",
  "renewed.not_allowed":
    "We cannot email you about this offer: your choices or our records do not allow it. Call our service hotline {hotline} if you would like to hear about it.",

  "channel.email": "Email",
  "channel.sms": "Text message (SMS)",
  "channel.phone": "Phone call",

  "category.deposits": "Deposits and savings",
  "category.wealth": "Wealth management and investment",
  "category.asset": "Loans and credit",
  "category.intermediary": "Cards, payments and insurance",

  "error.title": "Sorry",
  "error.invalid_link": "This link is not valid. Use the link exactly as it appears in the email.",
  "error.expired_link": "This link has expired. Contact your relationship manager for a current offer.",
  "error.cross_site_request":
    "This answer came from another website, so it was not recorded. Open the link in your email and answer on our page.",
  "error.other": "We could not handle this request. Open the link exactly as it appears in the email.",
  "error.internal": "Something went wrong on our side. Please try again later.",
  "error.expired_link_opt_in":
    "This link is from an old email: it can turn offers off, but not on. Ask for a new link by email to turn anything on.",
  "error.link_still_valid": "This link still works: open it as it is.",

  "email.unsubscribePrompt": "No longer interested?",
  "email.unsubscribe": "Unsubscribe",
  "email.preferences": "Manage your preferences",
  "email.sentBy":
    "This offer comes from {bank}. {bank} will never ask for your password or a verification code by email.",
  "email.legal": "{legalName}, {address}. Service hotline {hotline}.",
} as const;

export type CopyKey = keyof typeof EN;
