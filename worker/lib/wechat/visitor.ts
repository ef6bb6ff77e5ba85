// The HttpOnly cookie that ties a browser to the openid WeChat OAuth gave it (table wechat_visitors, by hash).
export const WECHAT_VISITOR_COOKIE = 'agentry_wx';
// Set for the browser session once OAuth was tried, so a refusal or an outage never loops the browser through it.
export const WECHAT_TRIED_COOKIE = 'agentry_wx_tried';
export const WECHAT_STATE_COOKIE = 'agentry_wx_state';
export const VISITOR_DAYS = 30;
