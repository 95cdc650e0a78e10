import type { CopyKey } from "./en.js";

/** en.ts in Simplified Chinese, key for key. */
export const ZH_CN: Record<CopyKey, string> = {
  "page.safety": "{bank}不会通过电子邮件或本页面向您索取密码或验证码。",
  "page.legal": "{legalName} · {address} · 客服热线 {hotline}",

  "offer.details": "产品信息",
  "offer.product": "产品名称",
  "offer.kind": "产品类型",
  "offer.riskLevel": "风险等级",
  "offer.riskLevelValue": "{level}（{label}）",
  "offer.riskTitle": "风险提示",
  "offer.riskStatement": "理财非存款、产品有风险、投资须谨慎",
  "offer.question": "您希望如何处理这项推荐？",
  "offer.yourAnswer": "您的回复：{answer}。",
  "offer.changeBelow": "您可以在下面修改。",
  "offer.relationshipManager": "您的客户经理是{name}。",
  "offer.questions": "如有疑问，请致电客服热线 {hotline}。",

  "kind.deposit": "存款",
  "kind.wealth": "理财",
  "kind.card": "银行卡",
  "kind.loan": "贷款",
  "kind.settlement": "支付结算",
  "kind.insurance": "保险",

  "risk.R1": "低风险",
  "risk.R2": "中低风险",
  "risk.R3": "中风险",
  "risk.R4": "中高风险",
  "risk.R5": "高风险",

  "answer.interested": "我感兴趣",
  "answer.call_me": "请给我回电话",
  "answer.not_now": "暂时不需要",
  "answer.unsubscribe": "不要再给我发送推荐",

  "answered.title": "谢谢",
  "answered.recorded": "您的回复已记录。",
  "answered.interested":
    "您的客户经理或网点同事将在 {days} 个工作日内与您联系，为您详细介绍。在您同意之前，不会为您开通任何产品或收取任何费用。",
  "answered.callMe": "您的客户经理会给您回电话。",
  "answered.callTimeQuestion": "您希望我们在什么时间给您回电话？",
  "answered.callTimeChosen": "我们将在{time}给您回电话。",
  "answered.callTimeChange": "您可以在下面选择其他时间。",
  "answered.notNow": "{days} 天内我们不会再向您推荐{product}。您随时可以联系我们。",
  "answered.changeMind": "改变主意了？修改您的回复",

  "callTime.morning": "上午（9:00–12:00）",
  "callTime.afternoon": "下午（14:00–17:00）",
  "callTime.evening": "晚上（18:00–20:00）",
  "callTimeOption.morning": "上午（9:00–12:00）",
  "callTimeOption.afternoon": "下午（14:00–17:00）",
  "callTimeOption.evening": "晚上（18:00–20:00）",

  "unsubscribe.title": "退订",
  "unsubscribe.question": "不再接收{bank}的电子邮件推荐？",
  "unsubscribe.button": "退订",
  "unsubscribed.title": "您已退订",
  "unsubscribed.body": "{bank}将不再通过电子邮件向您发送推荐。",

  "preferences.title": "推荐偏好设置",
  "preferences.intro":
    "请选择{bank}可以通过哪些方式向您发送推荐，以及可以向您介绍哪些产品。此后的每一次营销活动都将按照您的选择进行。",
  "preferences.channels": "我们可以通过哪些方式向您发送推荐",
  "preferences.categories": "我们可以向您介绍哪些产品",
  "preferences.save": "保存我的选择",
  "preferences.saved": "您的选择已保存：{changes}。",
  "preferences.on": "{what}：开启",
  "preferences.off": "{what}：关闭",
  "preferences.for": "以下是 {address} 的推荐偏好。",
  "preferences.scope": "这些选择只涉及产品推荐，不影响账户对账单、安全提醒以及您要求的回电。",
  "preferences.unchanged": "没有变更，您的选择与之前相同。",
  "preferences.recorded": "每一项变更都会作为您本人的选择，连同变更时间一并记录。",
  "preferences.link": "选择您希望接收哪些推荐以及接收方式",

  "channel.email": "电子邮件",
  "channel.sms": "短信",
  "channel.phone": "电话",

  "category.deposits": "存款与储蓄",
  "category.wealth": "理财与投资",
  "category.asset": "贷款与信贷",
  "category.intermediary": "银行卡、支付结算与保险",

  "error.title": "抱歉",
  "error.invalid_link": "此链接无效。请使用邮件中原样的链接。",
  "error.expired_link": "此链接已过期。如需了解最新推荐，请联系您的客户经理。",
  "error.cross_site_request": "此回复来自其他网站，因此未被记录。请打开邮件中的链接，在我们的页面上回复。",
  "error.other": "我们无法处理此请求。请打开邮件中原样的链接。",
  "error.internal": "我们这边出了点问题，请稍后再试。",

  "email.unsubscribePrompt": "不想再收到此类推荐？",
  "email.unsubscribe": "退订",
  "email.preferences": "管理您的推荐偏好",
  "email.sentBy": "本推荐由{bank}发送。{bank}不会通过电子邮件向您索取密码或验证码。",
  "email.legal": "{legalName}，{address}。客服热线 {hotline}。",
};
