package corpus

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// boilerplate are texts of the fixture page's navigation, share widgets,
// comments, side bar and footer: none may become a paragraph.
var boilerplate = []string{"首页", "客户端下载", "时政", "分享到", "微信", "网友", "点赞", "热点推荐", "王毅会见",
	"Copyright", "ICP", "责任编辑", "不是正文", "来源：新华网"}

func TestParseHTMLGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/html/xinhua.html")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("news/2019-xinhua.html", data, nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkGolden(t, "html.json", doc)
	if doc.Title != "习近平出席上海合作组织成员国元首理事会第十九次会议" || doc.Date != "2019-06-14" ||
		doc.Place != "比什凯克" || doc.Lang != "zh" || doc.Format != "html" || len(doc.Paragraphs) != 5 {
		t.Errorf("title %q, date %q, place %q, lang %q, format %q, %d paragraphs",
			doc.Title, doc.Date, doc.Place, doc.Lang, doc.Format, len(doc.Paragraphs))
	}
	for _, p := range doc.Paragraphs {
		for _, b := range boilerplate {
			if strings.Contains(p.Text, b) {
				t.Errorf("paragraph %d holds boilerplate %q: %s", p.N, b, p.Text)
			}
		}
	}
}

// gbkPage is a Chinese page as many government sites still serve it.
const gbkPage = `<html><head>%META%<title>中华人民共和国和吉尔吉斯共和国关于进一步深化全面战略伙伴关系的联合声明 - 中华人民共和国外交部</title>
<meta name="PubDate" content="2019-06-13 18:30">
</head><body>
<div class="nav"><a href="/">首页</a> <a href="/zyxw">重要新闻</a> <a href="/wjbxw">外交部新闻</a></div>
<div id="News_Body_Txt_A"><div class="content">
<p>应吉尔吉斯共和国总统热恩别科夫邀请，中华人民共和国主席习近平于2019年6月12日至13日对吉尔吉斯共和国进行国事访问。</p>
<p>双方高度评价中吉关系发展成就，一致认为，建交27年来，两国关系始终保持健康稳定发展势头，政治互信不断加深，务实合作成果丰硕。</p>
<p>双方愿进一步深化全面战略伙伴关系，加强“一带一路”倡议同吉方发展战略对接，推进贸易、投资、交通、农业、人文等领域合作。</p>
</div></div>
<div class="footer">主办单位：中华人民共和国外交部 版权所有 地址：北京市朝阳区朝阳门南大街2号</div>
</body></html>`

func TestParseHTMLGBK(t *testing.T) {
	tests := []struct{ name, meta, wantEnc string }{
		{"meta charset gb2312", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, "GBK"},
		{"meta charset GBK", `<meta charset="GBK">`, "GBK"},
		{"no declaration", ``, EncodingGB18030},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(strings.Replace(gbkPage, "%META%", tc.meta, 1)))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse("mfa/2019-kg.html", data, nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tc.name == "meta charset gb2312" {
				checkGolden(t, "html-gbk.json", doc)
			}
			if doc.Encoding != tc.wantEnc || doc.Title != "中华人民共和国和吉尔吉斯共和国关于进一步深化全面战略伙伴关系的联合声明" ||
				doc.Date != "2019-06-13" || len(doc.Paragraphs) != 3 || !strings.HasPrefix(doc.Paragraphs[0].Text, "应吉尔吉斯共和国总统") {
				t.Errorf("encoding %q, title %q, date %q, %d paragraphs: %v", doc.Encoding, doc.Title, doc.Date, len(doc.Paragraphs), doc.Paragraphs)
			}
			for _, p := range doc.Paragraphs {
				if strings.Contains(p.Text, "首页") || strings.Contains(p.Text, "版权所有") {
					t.Errorf("boilerplate paragraph: %s", p.Text)
				}
			}
		})
	}
}

func TestParseHTMLMetadata(t *testing.T) {
	page := func(head, body string) []byte {
		return []byte("<html><head>" + head + "</head><body><article>" + body + "</article></body></html>")
	}
	text := "<p>成员国重申，上海合作组织坚持开放原则，愿同其他国家和国际组织开展合作。</p>"
	tests := []struct {
		name               string
		data               []byte
		sidecar            string
		title, date, place string
	}{
		{"title suffix stripped", page("<title>成员国重申开放原则 | 上合组织秘书处</title>", text), "", "成员国重申开放原则", "", ""},
		{"time element", page("<title>声明</title>", `<time datetime="2020-11-10T09:00:00+03:00">11月10日</time>`+text), "", "声明", "2020-11-10", ""},
		{"meta published_time", page(`<title>声明</title><meta property="article:published_time" content="2021-09-17T12:00:00Z">`, text), "", "声明", "2021-09-17", ""},
		{"sidecar wins", page(`<title>声明</title><meta name="pubdate" content="2021-09-17">`, "<p>中新社杜尚别9月17日电 成员国重申开放原则。</p>"+text),
			"title: 杜尚别宣言\ndate: 2021-09-18\n", "杜尚别宣言", "2021-09-18", "杜尚别"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var side []byte
			if tc.sidecar != "" {
				side = []byte(tc.sidecar)
			}
			doc, err := Parse("x.html", tc.data, side)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.Date != tc.date || doc.Place != tc.place {
				t.Errorf("title %q, date %q, place %q; want %q, %q, %q", doc.Title, doc.Date, doc.Place, tc.title, tc.date, tc.place)
			}
		})
	}
}

func TestParseHTMLBad(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"binary", "\x00\x01\x02\x03PNG", ErrBinary},
		{"no text", "<html><head><title>空</title></head><body><script>x()</script></body></html>", ErrNoParagraphs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.htm", []byte(tc.data), nil)
			if !errors.Is(err, tc.want) {
				t.Errorf("Parse: %v, want %v", err, tc.want)
			}
		})
	}
}

func BenchmarkParseHTML(b *testing.B) {
	data, err := os.ReadFile("testdata/html/xinhua.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("x.html", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
