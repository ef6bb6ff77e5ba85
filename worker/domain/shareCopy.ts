// WeChat forbids 诱导分享: share copy may not promise anything for sharing, liking or forwarding. The brand's 素材 are
// what agents paste into Moments, so a material whose copy makes such a promise is refused with the phrase quoted.

// A sharing act, then within the same sentence something the sharer gets for it.
const ACT = '(?:转发|分享|转载|集赞|点赞|晒图|晒单|发圈|发朋友圈|拉好友|邀请好友|邀好友)';
const GAIN =
  '(?:有礼|有奖|送|领|得|赢|抽奖|奖励|奖品|红包|返现|返利|免单|免费|优惠券|代金券|积分|礼品|礼包|赠品|赠|立减|减免)';
const SAME_SENTENCE = '[^。！？!?；;\\n]{0,12}?';

const patterns = [
  new RegExp(`${ACT}${SAME_SENTENCE}${GAIN}`),
  // The promise first: 送红包，转发即可 / 领取奖品需分享到朋友圈.
  new RegExp(`(?:送|领|领取|赢|抽|免费得)${SAME_SENTENCE}(?:红包|奖品|礼品|礼包|赠品|优惠券)${SAME_SENTENCE}${ACT}`),
  // 集满 38 个赞 / 集 20 赞.
  /集满?\s*\d*\s*个?\s*赞/,
];

/** The first phrase in `text` that promises a reward for sharing, or null when the copy makes no such promise. */
export function sharingRewardPhrase(text: string): string | null {
  for (const pattern of patterns) {
    const found = pattern.exec(text);
    if (found) return found[0];
  }
  return null;
}
