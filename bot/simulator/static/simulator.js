/*
 * Tsunagu simulator: a LINE-like chat page over the simulator's JSON API
 * (GET /simulator/api/personas, POST /simulator/api/send, GET /simulator/api/messages).
 *
 * Every piece of message content is put into the page with textContent or a style property,
 * never with innerHTML: the bot's messages may carry whatever a user typed.
 *
 * The API answers only calls that carry this run's token, which the server put into the page.
 */
(function () {
  "use strict";

  const API = "/simulator/api";
  const POLL_MS = 700;
  const BACKGROUND_POLL_MS = 3000; // other personas, for the unread counts in the picker
  const FETCH_TIMEOUT_MS = 15000; // a hung request must not hold up the user's queue forever
  const NEW_USER = "__new__";
  const TOKEN_META = document.querySelector('meta[name="simulator-token"]');
  const AUTH = { "X-Simulator-Token": TOKEN_META ? TOKEN_META.content : "" };

  const $ = (id) => document.getElementById(id);
  const els = {
    persona: $("persona"),
    follow: $("follow-toggle"),
    userId: $("user-id"),
    status: $("status"),
    chat: $("chat"),
    hint: $("chat-hint"),
    quick: $("quick-replies"),
    loading: $("loading"),
    composer: $("composer"),
    text: $("text"),
    send: $("send"),
    rmWrap: $("richmenu-wrap"),
    rm: $("richmenu"),
    rmBar: $("richmenu-bar"),
    rmBarText: $("richmenu-bar-text"),
    picker: $("picker"),
    pickerForm: $("picker-form"),
    pickerTitle: $("picker-title"),
    pickerInput: $("picker-input"),
    pickerCancel: $("picker-cancel"),
  };

  /* ---------- DOM helpers ---------- */

  // h(tag, props, ...children): text goes in as text nodes, never parsed as HTML.
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = String(value);
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function placeholder(label) {
    return h("div", { class: "placeholder", text: label });
  }

  function str(value) {
    return value == null ? "" : String(value);
  }

  const SAFE_LINK = /^https?:\/\//i;
  const SAFE_IMAGE = /^(https?:\/\/|\/|data:image\/)/i;
  // Trailing punctuation is left out of a link, as LINE does.
  const URL_RE = /https?:\/\/[^\s<>"'「」『』（）、。]+/g;

  function linkify(text) {
    const parts = [];
    let at = 0;
    for (const m of text.matchAll(URL_RE)) {
      const url = m[0].replace(/[.,!?;:)\]]+$/, "");
      parts.push(text.slice(at, m.index));
      parts.push(h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: url }));
      at = m.index + url.length;
    }
    parts.push(text.slice(at));
    return parts;
  }

  // An <img>, or a grey placeholder when the URL is unusable or does not load (no internet here).
  function image(url, label, cls) {
    const ph = h("div", { class: "placeholder img-ph" + (cls ? " " + cls : ""), text: label ?? "画像" });
    if (!url || !SAFE_IMAGE.test(String(url))) return ph;
    const img = h("img", { alt: label || "", class: cls || null });
    img.addEventListener("error", () => {
      ph.style.cssText = img.style.cssText; // keep the size the caller gave the picture
      img.replaceWith(ph);
    });
    img.src = String(url);
    return img;
  }

  /* ---------- time ---------- */

  const TZ = "Asia/Tokyo";
  const timeFmt = new Intl.DateTimeFormat("ja-JP", {
    timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const dayFmt = new Intl.DateTimeFormat("ja-JP", {
    timeZone: TZ, year: "numeric", month: "numeric", day: "numeric", weekday: "short",
  });
  // sv-SE formats as "YYYY-MM-DD HH:MM:SS", the shape the date/time inputs want.
  const isoFmt = new Intl.DateTimeFormat("sv-SE", {
    timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  function toDate(at) {
    const d = at ? new Date(at) : new Date();
    return Number.isNaN(d.getTime()) ? new Date() : d;
  }

  /* ---------- state: one per user id, kept for the whole page session ---------- */

  const users = new Map();
  let personas = [];
  let current = null;
  let newUsers = 0;

  function stateFor(persona) {
    let u = users.get(persona.user_id);
    if (!u) {
      u = {
        persona,
        log: h("div", { class: "transcript" }),
        seen: new Set(),
        lastSeq: 0,
        lastKind: null,
        lastDay: null,
        started: false,
        followed: false,
        quick: null,
        richmenu: null,
        richmenuKey: "null",
        richmenuOpen: true,
        queue: Promise.resolve(),
        polling: false,
        pollAgain: false,
        unread: 0,
      };
      users.set(persona.user_id, u);
    }
    return u;
  }

  /* ---------- the transcript ---------- */

  function scrollToBottom() {
    els.chat.scrollTop = els.chat.scrollHeight;
  }

  function appendRow(u, row, date, kind) {
    const day = dayFmt.format(date);
    if (day !== u.lastDay) {
      u.log.append(h("div", { class: "day" }, h("span", { text: day })));
      u.lastDay = day;
    }
    u.log.append(row);
    u.lastKind = kind;
    if (u === current) {
      scrollToBottom();
      // Images and fonts can grow a row after it is placed.
      requestAnimationFrame(scrollToBottom);
    }
  }

  function addUser(u, text) {
    const now = new Date();
    const row = h("div", { class: "row user" },
      h("div", { class: "meta" }, h("span", { class: "time", text: timeFmt.format(now) })),
      h("div", { class: "msg user" }, linkify(text)),
    );
    appendRow(u, row, now, "user");
    setQuick(u, null);
  }

  function addSystem(u, text, isError) {
    appendRow(u, h("div", { class: "system" + (isError ? " error" : ""), role: isError ? "alert" : null, text }),
      new Date(), "system");
  }

  function addBot(u, item) {
    const when = toDate(item.at);
    const msg = item.message && typeof item.message === "object" ? item.message : {};
    let body;
    try {
      body = renderMessage(msg);
    } catch (err) {
      console.error("simulator: cannot render", msg, err);
      body = h("div", { class: "msg bot unknown" }, placeholder("表示できないメッセージ"));
    }
    if (msg.altText) body.title = str(msg.altText);
    const first = u.lastKind !== "bot";
    const wide = body.classList.contains("wide");
    const meta = h("div", { class: "meta" },
      item.via === "push" ? h("span", { class: "tag push", text: "push" }) : null,
      h("span", { class: "time", text: timeFmt.format(when) }),
    );
    const row = h("div", { class: "row bot" + (first ? "" : " cont"), "data-seq": item.seq },
      h("div", { class: "avatar", "aria-hidden": "true" }, first ? botIcon() : null),
      h("div", { class: "col" },
        first ? h("div", { class: "name", text: "つなぐ" }) : null,
        h("div", { class: "line" + (wide ? " wide" : "") }, body, meta),
      ),
    );
    appendRow(u, row, when, "bot");
    const items = msg.quickReply && msg.quickReply.items;
    setQuick(u, Array.isArray(items) && items.length ? items : null);
  }

  function botIcon() {
    return h("span", { class: "bot-icon", text: "つ" });
  }

  /* ---------- messages ---------- */

  function renderMessage(msg) {
    switch (msg.type) {
      case "text":
        return h("div", { class: "msg bot text" }, linkify(str(msg.text)));
      case "template":
        return renderTemplate(msg.template || {});
      case "flex": {
        const inner = renderFlexContainer(msg.contents || {});
        const wide = msg.contents && msg.contents.type === "carousel";
        return h("div", { class: "msg bot flex" + (wide ? " wide" : "") }, inner);
      }
      case "image":
        return h("div", { class: "msg bot image" },
          image(msg.previewImageUrl || msg.originalContentUrl, "画像 image"));
      case "sticker":
        return h("div", { class: "msg bot sticker" },
          placeholder(`スタンプ sticker ${str(msg.packageId)}/${str(msg.stickerId)}`));
      case "location": {
        const q = `${Number(msg.latitude)},${Number(msg.longitude)}`;
        return h("div", { class: "msg bot location" },
          h("div", { class: "loc-title", text: str(msg.title) || "位置情報" }),
          h("div", { class: "loc-address", text: str(msg.address) }),
          h("a", {
            href: "https://www.google.com/maps?q=" + encodeURIComponent(q),
            target: "_blank", rel: "noopener noreferrer", text: "地図を開く",
          }),
        );
      }
      default:
        return h("div", { class: "msg bot unknown" },
          placeholder(`[${str(msg.type) || "?"}] ${str(msg.altText)}`.trim()));
    }
  }

  function renderTemplate(t) {
    switch (t.type) {
      case "buttons":
        return h("div", { class: "msg bot template buttons" }, templateColumn(t));
      case "confirm":
        return h("div", { class: "msg bot template confirm" },
          h("div", { class: "tpl-text", text: str(t.text) }),
          h("div", { class: "tpl-actions side" }, (t.actions || []).slice(0, 2).map(actionButton)),
        );
      case "carousel":
        return h("div", { class: "msg bot template carousel wide" },
          h("div", { class: "scroller" },
            (t.columns || []).slice(0, 10).map((c) => h("div", { class: "tpl-card" }, templateColumn(c)))));
      case "image_carousel":
        return h("div", { class: "msg bot template carousel wide" },
          h("div", { class: "scroller" },
            (t.columns || []).slice(0, 10).map((c) => h("div", { class: "tpl-card image-col" },
              image(c.imageUrl, "画像", "tpl-thumb"),
              h("div", { class: "tpl-actions" }, actionButton(c.action))))));
      default:
        return h("div", { class: "msg bot template unknown" },
          placeholder(`[template ${str(t.type) || "?"}]`));
    }
  }

  function templateColumn(c) {
    const body = h("div", { class: "tpl-body" },
      c.title ? h("div", { class: "tpl-title", text: str(c.title) }) : null,
      h("div", { class: "tpl-text", text: str(c.text) }),
    );
    if (c.defaultAction) {
      body.classList.add("tappable");
      body.addEventListener("click", () => doAction(c.defaultAction));
    }
    return [
      c.thumbnailImageUrl ? image(c.thumbnailImageUrl, "画像", "tpl-thumb") : null,
      body,
      h("div", { class: "tpl-actions" }, (c.actions || []).slice(0, 4).map(actionButton)),
    ];
  }

  function actionLabel(a) {
    a = a || {};
    return str(a.label || a.displayText || a.text || a.type || "?");
  }

  function actionButton(a) {
    return h("button", { type: "button", class: "action", text: actionLabel(a), onclick: () => doAction(a) });
  }

  /* ---------- Flex messages ---------- */

  const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
  const TEXT_SIZE = { xxs: 11, xs: 12, sm: 13, md: 15, lg: 17, xl: 19, xxl: 22, "3xl": 26, "4xl": 32, "5xl": 40 };
  const IMAGE_SIZE = {
    xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, "3xl": 180, "4xl": 200, "5xl": 240,
  };
  const BORDER = { none: 0, light: 0.5, normal: 1, medium: 2, "semi-bold": 3, bold: 4 };
  const BUBBLE_WIDTH = { nano: 120, micro: 160, deca: 220, hecto: 240, kilo: 260, mega: 290, giga: 330 };
  const ALIGN = { start: "flex-start", end: "flex-end", center: "center" };
  const GRAVITY = { top: "flex-start", bottom: "flex-end", center: "center" };
  const JUSTIFY = {
    "flex-start": "flex-start", "flex-end": "flex-end", center: "center",
    "space-between": "space-between", "space-around": "space-around", "space-evenly": "space-evenly",
  };

  // A LINE size keyword or a "12px"/"50%" length as CSS; anything else is ignored.
  function len(value, table) {
    if (value == null) return null;
    if (table && Object.prototype.hasOwnProperty.call(table, value)) return table[value] + "px";
    if (typeof value === "number") return value + "px";
    return /^\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : null;
  }

  function setStyle(el, prop, value) {
    if (value != null && value !== "") el.style[prop] = value; // the style setter drops invalid values
  }

  function renderFlexContainer(c) {
    if (c.type === "carousel") {
      return h("div", { class: "flex-carousel" }, (c.contents || []).slice(0, 12).map(renderBubble));
    }
    if (c.type === "bubble") return renderBubble(c);
    return placeholder(`[flex ${str(c.type) || "?"}]`);
  }

  function renderBubble(b) {
    b = b && typeof b === "object" ? b : {};
    const styles = b.styles || {};
    const el = h("div", { class: "flex-bubble size-" + (BUBBLE_WIDTH[b.size] ? b.size : "mega") });
    el.style.width = (BUBBLE_WIDTH[b.size] || BUBBLE_WIDTH.mega) + "px";
    if (b.direction === "rtl") el.dir = "rtl";
    let blocks = 0;
    for (const part of ["header", "hero", "body", "footer"]) {
      const comp = b[part];
      if (!comp || typeof comp !== "object") continue;
      const st = styles[part] || {};
      const block = h("div", { class: "flex-block flex-" + part });
      setStyle(block, "backgroundColor", st.backgroundColor);
      if (st.separator && blocks > 0) {
        block.classList.add("separated");
        setStyle(block, "borderTopColor", st.separatorColor);
      }
      block.append(renderComponent(comp, "vertical"));
      el.append(block);
      blocks += 1;
    }
    if (!blocks) el.append(placeholder("[empty bubble]"));
    if (b.action) makeTappable(el, b.action);
    return el;
  }

  function renderComponent(c, parentLayout) {
    let el;
    const type = c && typeof c === "object" ? c.type : null;
    try {
      switch (type) {
        case "box": el = flexBox(c); break;
        case "text": el = flexText(c); break;
        case "button": el = flexButton(c); break;
        case "image": el = flexImage(c); break;
        case "icon": el = flexIcon(c); break;
        case "separator":
          el = h("div", { class: "f-separator" });
          setStyle(el, "borderColor", c.color);
          break;
        case "filler": el = h("div", { class: "f-filler" }); break;
        case "spacer":
          el = h("div", { class: "f-spacer" });
          el.style.height = el.style.width = len(c.size || "md", SPACING);
          break;
        case "span": el = flexSpan(c); break;
        default: el = placeholder(`[${str(type) || "?"}]`);
      }
    } catch (err) {
      console.error("simulator: flex component", c, err);
      el = placeholder(`[${str(type) || "?"}]`);
    }
    if (c && typeof c === "object") applyItemStyle(el, c, parentLayout);
    return el;
  }

  // How a component sits in its parent box: flex ratio, gravity, offsets.
  function applyItemStyle(el, c, parent) {
    const across = parent === "horizontal" || parent === "baseline";
    const fixed = c.type === "icon" || c.type === "separator" || c.type === "spacer";
    const grow = Number.isFinite(c.flex) ? Math.max(0, c.flex) : null;
    if (across) {
      if (fixed) el.style.flex = "none";
      else if (grow === 0) el.style.flex = "0 0 auto";
      else el.style.flex = `${grow ?? 1} 1 0%`;
      if (c.gravity && GRAVITY[c.gravity] && parent === "horizontal") el.style.alignSelf = GRAVITY[c.gravity];
    } else {
      el.style.flex = grow ? `${grow} 0 auto` : "0 0 auto";
      if ((c.type === "image" || c.type === "box") && c.align && ALIGN[c.align]) {
        el.style.alignSelf = ALIGN[c.align];
      }
    }
    if (c.position === "absolute") el.style.position = "absolute";
    else if (c.offsetTop || c.offsetBottom || c.offsetStart || c.offsetEnd) el.style.position = "relative";
    setStyle(el, "top", len(c.offsetTop, SPACING));
    setStyle(el, "bottom", len(c.offsetBottom, SPACING));
    setStyle(el, "left", len(c.offsetStart, SPACING));
    setStyle(el, "right", len(c.offsetEnd, SPACING));
  }

  function flexBox(c) {
    const layout = ["horizontal", "baseline", "vertical"].includes(c.layout) ? c.layout : "vertical";
    const el = h("div", { class: "f-box " + layout });
    const gap = len(c.spacing, SPACING);
    (Array.isArray(c.contents) ? c.contents : []).forEach((child, i) => {
      const ce = renderComponent(child, layout);
      const margin = child && child.margin != null ? len(child.margin, SPACING) : i > 0 ? gap : null;
      if (margin) ce.style[layout === "vertical" ? "marginTop" : "marginInlineStart"] = margin;
      el.append(ce);
    });
    setStyle(el, "backgroundColor", c.backgroundColor);
    if (c.background && c.background.type === "linearGradient") {
      const angle = /^\d+(\.\d+)?deg$/.test(str(c.background.angle)) ? c.background.angle : "0deg";
      el.style.backgroundImage =
        `linear-gradient(${angle}, ${str(c.background.startColor)}, ${str(c.background.endColor)})`;
    }
    const bw = len(c.borderWidth, BORDER);
    if (bw) {
      el.style.borderStyle = "solid";
      el.style.borderWidth = bw;
      setStyle(el, "borderColor", c.borderColor || "#000");
    }
    setStyle(el, "borderRadius", len(c.cornerRadius, SPACING));
    if (c.cornerRadius) el.style.overflow = "hidden";
    setStyle(el, "padding", len(c.paddingAll, SPACING));
    setStyle(el, "paddingTop", len(c.paddingTop, SPACING));
    setStyle(el, "paddingBottom", len(c.paddingBottom, SPACING));
    setStyle(el, "paddingInlineStart", len(c.paddingStart, SPACING));
    setStyle(el, "paddingInlineEnd", len(c.paddingEnd, SPACING));
    setStyle(el, "width", len(c.width));
    setStyle(el, "maxWidth", len(c.maxWidth));
    setStyle(el, "height", len(c.height));
    setStyle(el, "maxHeight", len(c.maxHeight));
    if (JUSTIFY[c.justifyContent]) el.style.justifyContent = JUSTIFY[c.justifyContent];
    if (JUSTIFY[c.alignItems] && layout !== "baseline") el.style.alignItems = JUSTIFY[c.alignItems];
    if (c.action) makeTappable(el, c.action);
    return el;
  }

  function textLook(el, c) {
    setStyle(el, "fontSize", len(c.size, TEXT_SIZE));
    if (c.weight === "bold") el.style.fontWeight = "bold";
    setStyle(el, "color", c.color);
    if (c.style === "italic") el.style.fontStyle = "italic";
    if (c.decoration === "underline" || c.decoration === "line-through") el.style.textDecoration = c.decoration;
  }

  function flexText(c) {
    const el = h("div", { class: "f-text" + (c.wrap ? " wrap" : "") });
    if (Array.isArray(c.contents) && c.contents.length) {
      for (const span of c.contents) el.append(flexSpan(span || {}));
    } else {
      el.textContent = str(c.text);
    }
    textLook(el, c);
    if (ALIGN[c.align]) el.style.textAlign = c.align === "start" ? "start" : c.align === "end" ? "end" : "center";
    if (c.wrap && Number.isInteger(c.maxLines) && c.maxLines > 0) {
      el.classList.add("clamp");
      el.style.webkitLineClamp = String(c.maxLines);
    }
    const lineSpacing = len(c.lineSpacing);
    if (c.wrap && lineSpacing) el.style.lineHeight = `calc(1.4em + ${lineSpacing})`;
    if (c.action) makeTappable(el, c.action);
    return el;
  }

  function flexSpan(c) {
    const el = h("span", { class: "f-span", text: str(c.text) });
    textLook(el, c);
    return el;
  }

  function flexButton(c) {
    const a = c.action || {};
    const style = ["primary", "secondary", "link"].includes(c.style) ? c.style : "link";
    const el = h("button", {
      type: "button",
      class: `action f-button ${style} ${c.height === "sm" ? "sm" : "md"}`,
      text: actionLabel(a),
      onclick: () => doAction(a),
    });
    if (c.color) setStyle(el, style === "link" ? "color" : "backgroundColor", c.color);
    return el;
  }

  function flexImage(c) {
    const el = h("div", { class: "f-image" });
    const width = c.size === "full" ? "100%" : len(c.size || "md", IMAGE_SIZE);
    setStyle(el, "width", width);
    const ratio = /^(\d+(\.\d+)?):(\d+(\.\d+)?)$/.exec(str(c.aspectRatio || "1:1"));
    if (ratio) el.style.aspectRatio = `${ratio[1]} / ${ratio[3]}`;
    if (!c.align) el.style.alignSelf = "center";
    setStyle(el, "backgroundColor", c.backgroundColor);
    const img = image(c.url, "画像");
    if (img.tagName === "IMG") img.style.objectFit = c.aspectMode === "cover" ? "cover" : "contain";
    el.append(img);
    if (c.action) makeTappable(el, c.action);
    return el;
  }

  // The icon sits inline on the text's line, so its bottom rests on the baseline as in LINE.
  function flexIcon(c) {
    const size = len(c.size || "md", TEXT_SIZE) || "15px";
    const pic = image(c.url, "");
    pic.style.width = pic.style.height = size;
    const ratio = /^(\d+(\.\d+)?):(\d+(\.\d+)?)$/.exec(str(c.aspectRatio));
    if (ratio) pic.style.width = `calc(${size} * ${ratio[1]} / ${ratio[3]})`;
    return h("span", { class: "f-icon" }, pic);
  }

  function makeTappable(el, action) {
    el.classList.add("tappable");
    el.addEventListener("click", (ev) => {
      if (ev.target.closest("button, a") && ev.target.closest("button, a") !== el) return;
      ev.stopPropagation();
      doAction(action);
    });
  }

  /* ---------- actions ---------- */

  function doAction(a) {
    const u = current;
    if (!u || !a || typeof a !== "object") return;
    switch (a.type) {
      case "message":
        addUser(u, str(a.text));
        send(u, { text: str(a.text) });
        break;
      case "postback": {
        const shown = a.displayText != null ? a.displayText : a.text; // `text` is LINE's old name
        if (shown) addUser(u, str(shown));
        else setQuick(u, null);
        send(u, { postback: { data: str(a.data) } });
        if (a.inputOption === "openRichMenu") setRichmenuOpen(u, true);
        if (a.inputOption === "closeRichMenu") setRichmenuOpen(u, false);
        if (a.inputOption === "openKeyboard") {
          if (a.fillInText) els.text.value = str(a.fillInText);
          els.text.focus();
        }
        break;
      }
      case "uri":
        openUri(u, a.uri || (a.altUri && a.altUri.desktop));
        break;
      case "datetimepicker":
        openPicker(u, a);
        break;
      case "richmenuswitch":
        send(u, {
          postback: {
            data: str(a.data),
            params: { newRichMenuAliasId: str(a.richMenuAliasId), status: "SUCCESS" },
          },
        });
        break;
      case "clipboard":
        if (navigator.clipboard) navigator.clipboard.writeText(str(a.clipboardText)).catch(() => {});
        addSystem(u, "コピーしました: " + str(a.clipboardText));
        break;
      case "camera":
      case "cameraRoll":
      case "location":
        addSystem(u, `「${actionLabel(a)}」はシミュレーターでは使えません (${a.type})`);
        break;
      default:
        addSystem(u, `未対応のアクション unsupported action: ${str(a.type)}`, true);
    }
  }

  function openUri(u, uri) {
    uri = str(uri);
    if (SAFE_LINK.test(uri)) {
      window.open(uri, "_blank", "noopener,noreferrer");
    } else if (/^tel:/i.test(uri)) {
      addSystem(u, `📞 ${uri.slice(4)} に発信します（シミュレーター）`);
    } else {
      addSystem(u, `開けないリンク cannot open: ${uri}`, true);
    }
  }

  /* ---------- date/time picker (datetimepicker action) ---------- */

  let pickerState = null;

  function openPicker(u, a, onDone) {
    const mode = ["date", "time", "datetime"].includes(a.mode) ? a.mode : "datetime";
    const input = els.pickerInput;
    input.type = mode === "datetime" ? "datetime-local" : mode;
    for (const attr of ["min", "max"]) {
      if (a[attr]) input.setAttribute(attr, str(a[attr]));
      else input.removeAttribute(attr);
    }
    const now = isoFmt.format(new Date()).replace(" ", "T"); // YYYY-MM-DDTHH:MM, Tokyo time
    const fallback = mode === "date" ? now.slice(0, 10) : mode === "time" ? now.slice(11, 16) : now.slice(0, 16);
    input.value = str(a.initial) || fallback;
    if (!input.value) input.value = fallback;
    els.pickerTitle.replaceChildren(actionLabel(a), " ", h("small", { text: mode }));
    pickerState = { u, a, mode, onDone };
    els.picker.hidden = false;
    input.focus();
  }

  function closePicker() {
    els.picker.hidden = true;
    pickerState = null;
  }

  els.pickerForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!pickerState) return;
    const { u, a, mode, onDone } = pickerState;
    let value = els.pickerInput.value;
    if (!value) return;
    value = mode === "date" ? value.slice(0, 10) : mode === "time" ? value.slice(0, 5) : value.slice(0, 16);
    closePicker();
    if (onDone) onDone();
    setQuick(u, null);
    send(u, { postback: { data: str(a.data), params: { [mode]: value } } });
  });
  els.pickerCancel.addEventListener("click", closePicker);
  els.picker.addEventListener("click", (ev) => {
    if (ev.target === els.picker) closePicker();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !els.picker.hidden) closePicker();
  });

  /* ---------- quick replies ---------- */

  function setQuick(u, items) {
    u.quick = items;
    if (u === current) renderQuick();
  }

  function renderQuick() {
    const items = current && current.quick;
    els.quick.replaceChildren();
    if (!items) {
      els.quick.hidden = true;
      return;
    }
    for (const item of items.slice(0, 13)) {
      const a = (item && item.action) || {};
      const btn = h("button", { type: "button", class: "qr-item" },
        item && item.imageUrl ? image(item.imageUrl, "", "qr-icon") : null,
        h("span", { text: actionLabel(a) }),
      );
      btn.addEventListener("click", () => {
        const u = current;
        if (a.type === "datetimepicker") {
          openPicker(u, a, () => setQuick(u, null));
          return;
        }
        setQuick(u, null);
        doAction(a);
      });
      els.quick.append(btn);
    }
    els.quick.hidden = false;
    els.quick.scrollLeft = 0;
    scrollToBottom();
  }

  /* ---------- rich menu ---------- */

  function setRichmenu(u, richmenu) {
    const key = JSON.stringify(richmenu || null);
    if (key === u.richmenuKey) return;
    u.richmenuKey = key;
    u.richmenu = richmenu && typeof richmenu === "object" ? richmenu : null;
    u.richmenuOpen = true;
    if (u === current) renderRichmenu();
  }

  function setRichmenuOpen(u, open) {
    u.richmenuOpen = open;
    if (u === current) applyRichmenuOpen();
  }

  function pct(value, total) {
    return (Math.max(0, Number(value) || 0) / total) * 100 + "%";
  }

  function renderRichmenu() {
    const rm = current && current.richmenu;
    els.rm.replaceChildren();
    if (!rm) {
      els.rmWrap.hidden = true;
      return;
    }
    const W = Number(rm.size && rm.size.width) || 2500;
    const H = Number(rm.size && rm.size.height) || 1686;
    els.rm.style.aspectRatio = `${W} / ${H}`;
    const labels = Array.isArray(rm.labels) ? rm.labels : [];
    (Array.isArray(rm.areas) ? rm.areas : []).forEach((area, i) => {
      const b = (area && area.bounds) || {};
      const label = labels[i] != null ? str(labels[i]) : actionLabel(area && area.action);
      const btn = h("button", { type: "button", class: "area", title: label }, h("span", { text: label }));
      btn.style.left = pct(b.x, W);
      btn.style.top = pct(b.y, H);
      btn.style.width = pct(b.width, W);
      btn.style.height = pct(b.height, H);
      btn.addEventListener("click", () => doAction(area && area.action));
      els.rm.append(btn);
    });
    els.rmBarText.textContent = str(rm.chatBarText) || "メニュー";
    els.rmWrap.hidden = false;
    applyRichmenuOpen();
  }

  function applyRichmenuOpen() {
    const open = !!(current && current.richmenuOpen);
    els.rm.hidden = !open;
    els.rmWrap.classList.toggle("open", open);
    els.rmBar.setAttribute("aria-expanded", String(open));
    // On a phone-sized window the open menu takes the keyboard's place, as in LINE.
    els.rmWrap.parentElement.classList.toggle("menu-open", open && !els.rmWrap.hidden);
    scrollToBottom();
  }

  els.rmBar.addEventListener("click", () => {
    if (current) setRichmenuOpen(current, !current.richmenuOpen);
  });

  /* ---------- talking to the server ---------- */

  function setOnline(ok) {
    els.status.classList.toggle("offline", !ok);
    els.status.textContent = ok ? "" : "サーバーに接続できません offline";
  }

  function send(u, body) {
    const payload = Object.assign({ user_id: u.persona.user_id }, body);
    // One queue per user: the follow goes before the first text, and each in the order typed.
    u.queue = u.queue.then(async () => {
      try {
        const res = await fetch(API + "/send", {
          method: "POST",
          headers: Object.assign({ "Content-Type": "application/json" }, AUTH),
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
        if (!res.ok) {
          let reason = `HTTP ${res.status}`;
          try {
            const data = await res.json();
            if (data && data.error) reason = str(data.error);
          } catch (_) { /* not JSON: keep the status */ }
          addSystem(u, "エラー: " + reason, true);
        }
        setOnline(true);
      } catch (_) {
        addSystem(u, "送信できませんでした (network error)", true);
        setOnline(false);
      }
      poll(u);
    });
    return u.queue;
  }

  async function poll(u, after) {
    if (u.polling) {
      u.pollAgain = true;
      return;
    }
    u.polling = true;
    try {
      const since = after != null ? after : u.lastSeq;
      const url = `${API}/messages?user_id=${encodeURIComponent(u.persona.user_id)}&after=${since}`;
      const res = await fetch(url, { cache: "no-store", headers: AUTH, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const data = await res.json();
      const fresh = (Array.isArray(data.messages) ? data.messages : [])
        .filter((m) => m && Number.isFinite(m.seq) && !u.seen.has(m.seq))
        .sort((x, y) => x.seq - y.seq);
      for (const m of fresh) {
        u.seen.add(m.seq);
        u.lastSeq = Math.max(u.lastSeq, m.seq);
        addBot(u, m);
      }
      if (u !== current && fresh.length) {
        u.unread += fresh.length;
        refreshOptionLabel(u);
      }
      if (data && "richmenu" in data) setRichmenu(u, data.richmenu);
      u.loading = !!(data && data.loading); // LINE's "…" while the bot looks something up
      if (u === current) els.loading.hidden = !u.loading;
      setOnline(true);
    } catch (_) {
      setOnline(false);
    } finally {
      u.polling = false;
      if (u.pollAgain) {
        u.pollAgain = false;
        poll(u);
      }
    }
  }

  setInterval(() => {
    if (current && current.started && !document.hidden) poll(current);
  }, POLL_MS);
  setInterval(() => {
    for (const u of users.values()) if (u !== current && u.started) poll(u);
  }, BACKGROUND_POLL_MS);

  /* ---------- who you are ---------- */

  function optionLabel(u) {
    return u.persona.label + (u.unread ? ` (${u.unread})` : "");
  }

  function refreshOptionLabel(u) {
    for (const opt of els.persona.options) {
      if (opt.value === u.persona.id) opt.textContent = optionLabel(u);
    }
  }

  function renderFollow() {
    const u = current;
    els.follow.disabled = !u;
    els.follow.replaceChildren(
      u && u.followed ? "ブロック" : "友だち追加",
      h("small", { text: u && u.followed ? "Block" : "Follow" }),
    );
    els.follow.classList.toggle("followed", !!(u && u.followed));
  }

  function setFollowed(u, yes) {
    u.followed = yes;
    addSystem(u, yes ? "友だち追加しました (follow)" : "ブロックしました (unfollow)");
    if (u === current) renderFollow();
    return send(u, { event: yes ? "follow" : "unfollow" });
  }

  function selectPersona(persona) {
    const u = stateFor(persona);
    current = u;
    u.unread = 0;
    refreshOptionLabel(u);
    els.hint.hidden = true;
    els.chat.replaceChildren(els.hint, u.log);
    els.userId.textContent = persona.user_id;
    els.text.disabled = els.send.disabled = false;
    renderQuick();
    renderRichmenu();
    renderFollow();
    els.loading.hidden = !u.loading;
    scrollToBottom();
    if (!u.started) {
      u.started = true;
      befriendIfNew(u);
    } else {
      poll(u, 0); // the server keeps the whole conversation; anything missed fills in
    }
    els.text.focus();
  }

  // The "add friend" moment comes once per user, as in LINE: only when the bot has never
  // spoken to this user (a page reload, or a second tab, does not follow again).
  async function befriendIfNew(u) {
    let known = false;
    try {
      const url = `${API}/messages?user_id=${encodeURIComponent(u.persona.user_id)}&after=0`;
      const res = await fetch(url, { cache: "no-store", headers: AUTH, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      const data = res.ok ? await res.json() : {};
      known = Array.isArray(data.messages) && data.messages.length > 0;
    } catch (err) {
      known = false;
    }
    if (known) {
      u.followed = true;
      if (u === current) renderFollow();
    } else {
      setFollowed(u, true);
    }
    poll(u, 0);
  }

  function newUserId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return "U" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function addPersonaOption(persona, beforeNew) {
    const opt = h("option", { value: persona.id, text: persona.label });
    const anchor = beforeNew ? els.persona.querySelector(`option[value="${NEW_USER}"]`) : null;
    els.persona.insertBefore(opt, anchor);
    return opt;
  }

  els.persona.addEventListener("change", () => {
    const value = els.persona.value;
    if (value === NEW_USER) {
      newUsers += 1;
      const persona = { id: "new-" + newUsers, label: `新しいユーザー ${newUsers}`, user_id: newUserId() };
      personas.push(persona);
      addPersonaOption(persona, true).selected = true;
      selectPersona(persona);
      return;
    }
    const persona = personas.find((p) => p.id === value);
    if (persona) selectPersona(persona);
  });

  els.follow.addEventListener("click", () => {
    if (current) setFollowed(current, !current.followed);
  });

  els.composer.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = els.text.value;
    if (!current || !text.trim()) return;
    els.text.value = "";
    addUser(current, text);
    send(current, { text });
  });

  async function loadPersonas() {
    try {
      const res = await fetch(API + "/personas", { cache: "no-store", headers: AUTH });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const data = await res.json();
      personas = (Array.isArray(data.personas) ? data.personas : [])
        .filter((p) => p && p.id && p.user_id)
        .map((p) => ({ id: str(p.id), label: str(p.label || p.id), user_id: str(p.user_id) }));
      setOnline(true);
    } catch (_) {
      setOnline(false);
      els.hint.textContent = "利用者の一覧を読み込めませんでした。サーバーを確認してください。";
    }
    for (const p of personas) addPersonaOption(p, false);
    els.persona.append(h("option", { value: NEW_USER, text: "＋ 新しいユーザー (new user)" }));
    // ?as=parent opens the page as that persona, handy for bookmarks.
    const wanted = new URLSearchParams(location.search).get("as");
    const persona = personas.find((p) => p.id === wanted);
    if (persona) {
      els.persona.value = persona.id;
      selectPersona(persona);
    }
    document.body.dataset.ready = "1";
  }

  renderFollow();
  loadPersonas();
})();
